import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectAwsCredentials } from './credentials.js';
import { resolveProvider } from './resolve-provider.js';

const homes: string[] = [];

function home(files: { credentials?: string; config?: string } = {}): string {
  const directory = mkdtempSync(join(tmpdir(), 'bedrock-home-'));
  homes.push(directory);
  mkdirSync(join(directory, '.aws'));
  if (files.credentials) writeFileSync(join(directory, '.aws', 'credentials'), files.credentials);
  if (files.config) writeFileSync(join(directory, '.aws', 'config'), files.config);
  return directory;
}

afterEach(() => {
  for (const directory of homes.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('detectAwsCredentials', () => {
  it('finds nothing in an empty environment and an empty home', () => {
    const detection = detectAwsCredentials({ env: {}, homeDirectory: home() });
    expect(detection).toMatchObject({ found: false, source: null });
    expect(detection.detail).toMatch(/AWS_ACCESS_KEY_ID.*AWS_PROFILE.*AWS_BEARER_TOKEN_BEDROCK/);
  });

  it('finds keys, a Bedrock API key, container and web-identity credentials in the environment', () => {
    const directory = home();
    const detect = (env: Record<string, string>) =>
      detectAwsCredentials({ env, homeDirectory: directory }).source;
    expect(detect({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret' })).toBe('env');
    expect(detect({ AWS_ACCESS_KEY_ID: 'AKIA' })).toBeNull();
    expect(detect({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key' })).toBe('bearer-token');
    expect(detect({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' })).toBe('container');
    expect(
      detect({ AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token', AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' }),
    ).toBe('web-identity');
  });

  it('finds a default profile in the credentials file or the config file', () => {
    const withKeys = home({
      credentials: '[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n',
    });
    expect(detectAwsCredentials({ env: {}, homeDirectory: withKeys }).source).toBe('credentials-file');
    const withSso = home({ config: '# comment\n[default]\nsso_session = corp\nregion = us-east-1\n' });
    expect(detectAwsCredentials({ env: {}, homeDirectory: withSso }).source).toBe('config-file');
    const regionOnly = home({ config: '[default]\nregion = us-east-1\n' });
    expect(detectAwsCredentials({ env: {}, homeDirectory: regionOnly }).found).toBe(false);
    const otherProfile = home({ credentials: '[work]\naws_access_key_id = AKIA\n' });
    expect(detectAwsCredentials({ env: {}, homeDirectory: otherProfile }).found).toBe(false);
  });

  it('accepts AWS_PROFILE only when the profile exists', () => {
    const directory = home({ config: '[profile dev]\nrole_arn = arn:aws:iam::1:role/dev\n' });
    expect(detectAwsCredentials({ env: { AWS_PROFILE: 'dev' }, homeDirectory: directory }).source).toBe(
      'profile',
    );
    const missing = detectAwsCredentials({ env: { AWS_PROFILE: 'prod' }, homeDirectory: directory });
    expect(missing).toMatchObject({
      found: false,
      detail: expect.stringContaining('AWS_PROFILE=prod names no profile'),
    });
  });

  it('honours AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE', () => {
    const directory = home();
    const file = join(directory, 'elsewhere');
    writeFileSync(file, '[default]\naws_access_key_id=AKIA\n');
    const detection = detectAwsCredentials({
      env: { AWS_SHARED_CREDENTIALS_FILE: file },
      homeDirectory: directory,
    });
    expect(detection.source).toBe('credentials-file');
  });
});

describe('resolveProvider', () => {
  const none = { found: false, source: null, detail: 'no AWS credentials found' } as const;
  const some = {
    found: true,
    source: 'env',
    detail: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set',
  } as const;

  it('picks Bedrock in auto mode only when credentials were found', () => {
    expect(resolveProvider('auto', some)).toEqual({
      provider: 'bedrock',
      reason: 'provider: bedrock (auto: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set)',
    });
    expect(resolveProvider('auto', none)).toMatchObject({
      provider: 'simulator',
      reason: /auto: no AWS credentials.*simulated/,
    });
  });

  it('honours an explicit choice, and warns when Bedrock is asked for without credentials', () => {
    expect(resolveProvider('simulator', some).provider).toBe('simulator');
    expect(resolveProvider('bedrock', none)).toMatchObject({
      provider: 'bedrock',
      reason: /calls will fail/,
    });
    expect(() => resolveProvider('openai' as never, none)).toThrow(/provider must be/);
  });
});
