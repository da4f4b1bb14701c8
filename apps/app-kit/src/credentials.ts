import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where AWS credentials were found. */
export type CredentialSource =
  /** `AWS_ACCESS_KEY_ID` with `AWS_SECRET_ACCESS_KEY`. */
  | 'env'
  /** `AWS_PROFILE` naming a profile that exists in `~/.aws/credentials` or `~/.aws/config`. */
  | 'profile'
  /** `AWS_BEARER_TOKEN_BEDROCK` (a Bedrock API key). */
  | 'bearer-token'
  /** ECS or EKS Pod Identity (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`). */
  | 'container'
  /** EKS IRSA and other OIDC setups (`AWS_WEB_IDENTITY_TOKEN_FILE` with `AWS_ROLE_ARN`). */
  | 'web-identity'
  /** A `[default]` profile with keys in `~/.aws/credentials`. */
  | 'credentials-file'
  /** A `[default]` profile in `~/.aws/config` with keys, SSO, a role or a credential process. */
  | 'config-file';

/** What {@link detectAwsCredentials} found. */
export interface CredentialDetection {
  found: boolean;
  source: CredentialSource | null;
  /** One line for people: what was found, or what was looked at. */
  detail: string;
}

/** Options of {@link detectAwsCredentials}. */
export interface DetectCredentialsOptions {
  /** The environment to read. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The home directory holding `.aws/`. Default `os.homedir()`. */
  homeDirectory?: string;
}

/** Settings in a `[default]` profile of `~/.aws/config` that give the SDK credentials. */
const CONFIG_CREDENTIAL_SETTINGS = [
  'aws_access_key_id',
  'sso_session',
  'sso_start_url',
  'role_arn',
  'credential_process',
  'web_identity_token_file',
  'login_session',
];

/** Reads an INI file into sections of settings; a missing or unreadable file is empty. */
function readIni(path: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let text: string;
  try {
    if (!existsSync(path)) return sections;
    text = readFileSync(path, 'utf8');
  } catch {
    return sections;
  }
  let current: Map<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = (header[1] as string).trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const setting = /^([^=]+)=(.*)$/.exec(line);
    if (setting && current)
      current.set((setting[1] as string).trim().toLowerCase(), (setting[2] as string).trim());
  }
  return sections;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/**
 * Tells whether AWS credentials are configured, by looking only at environment variables and the files
 * `~/.aws/credentials` and `~/.aws/config` (or `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`). It never
 * asks the network: the SDK's default chain would end at the EC2 instance metadata service, which `auto` mode
 * must never contact. Finding credentials does not prove they are valid.
 */
export function detectAwsCredentials(options: DetectCredentialsOptions = {}): CredentialDetection {
  const env = options.env ?? process.env;
  const home = options.homeDirectory ?? homedir();
  const credentialsPath = present(env.AWS_SHARED_CREDENTIALS_FILE)
    ? env.AWS_SHARED_CREDENTIALS_FILE
    : join(home, '.aws', 'credentials');
  const configPath = present(env.AWS_CONFIG_FILE) ? env.AWS_CONFIG_FILE : join(home, '.aws', 'config');

  if (present(env.AWS_ACCESS_KEY_ID) && present(env.AWS_SECRET_ACCESS_KEY)) {
    return { found: true, source: 'env', detail: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set' };
  }
  if (present(env.AWS_BEARER_TOKEN_BEDROCK)) {
    return {
      found: true,
      source: 'bearer-token',
      detail: 'AWS_BEARER_TOKEN_BEDROCK (a Bedrock API key) is set',
    };
  }
  const credentialsFile = readIni(credentialsPath);
  const configFile = readIni(configPath);
  if (present(env.AWS_PROFILE)) {
    const profile = env.AWS_PROFILE.trim();
    const inConfig =
      configFile.get(profile === 'default' ? 'default' : `profile ${profile}`) ?? configFile.get(profile);
    if (credentialsFile.has(profile) || inConfig) {
      return { found: true, source: 'profile', detail: `AWS_PROFILE=${profile} names a configured profile` };
    }
  }
  if (
    present(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) ||
    present(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
  ) {
    return {
      found: true,
      source: 'container',
      detail: 'container credentials (ECS or EKS Pod Identity) are set',
    };
  }
  if (present(env.AWS_WEB_IDENTITY_TOKEN_FILE) && present(env.AWS_ROLE_ARN)) {
    return {
      found: true,
      source: 'web-identity',
      detail: 'AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set',
    };
  }
  if (!present(env.AWS_PROFILE)) {
    if (present(credentialsFile.get('default')?.get('aws_access_key_id'))) {
      return {
        found: true,
        source: 'credentials-file',
        detail: `a [default] profile with keys in ${credentialsPath}`,
      };
    }
    const defaultConfig = configFile.get('default');
    if (defaultConfig && CONFIG_CREDENTIAL_SETTINGS.some((setting) => present(defaultConfig.get(setting)))) {
      return {
        found: true,
        source: 'config-file',
        detail: `a [default] profile with credentials in ${configPath}`,
      };
    }
  }
  const profileNote = present(env.AWS_PROFILE)
    ? ` (AWS_PROFILE=${env.AWS_PROFILE} names no profile in ${credentialsPath} or ${configPath})`
    : '';
  return {
    found: false,
    source: null,
    detail:
      `no AWS credentials in AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_BEARER_TOKEN_BEDROCK, container or web-identity ` +
      `variables, ${credentialsPath} or ${configPath}${profileNote}`,
  };
}
