import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, runCli, temporaryDirectory } from './run-cli.js';

afterAll(cleanUp);

/** Every byte of every entry file under a cache directory. */
function entryBytes(directory: string): Buffer {
  const files: Buffer[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const child = join(path, name);
      if (statSync(child).isDirectory()) walk(child);
      else if (name.endsWith('.entry')) files.push(readFileSync(child));
    }
  };
  walk(join(directory, 'entries'));
  return Buffer.concat(files);
}

const KEY = Buffer.alloc(32, 42).toString('base64');

describe('protection settings from the environment', () => {
  it('encrypts answers at rest, keys names with HMAC, and still hits and inspects', async () => {
    const cacheDir = temporaryDirectory();
    const env = { PROMPT_CACHE_ENCRYPTION_KEYS: `k1:${KEY}`, PROMPT_CACHE_KEY_SECRET: 'tenant-secret' };
    const ask = [
      'ask',
      'What is machine learning?',
      '--cache-dir',
      cacheDir,
      '--provider',
      'simulator',
      '--json',
    ];
    const first = JSON.parse((await runCli(ask, { env })).stdout);
    expect(entryBytes(cacheDir).includes(first.text.slice(12, 60))).toBe(false);

    const plain = JSON.parse((await runCli([...ask, '--namespace', 'plain'])).stdout);
    expect(plain.key.split(':')[2]).not.toBe(first.key.split(':')[2]); // HMAC, not the plain SHA-256

    expect(JSON.parse((await runCli(ask, { env })).stdout)).toMatchObject({ cached: true, text: first.text });
    const inspected = await runCli(['inspect', first.key, '--cache-dir', cacheDir, '--json'], { env });
    expect(JSON.parse(inspected.stdout).entry.text).toBe(first.text);
    const withoutKeys = await runCli(['inspect', first.key, '--cache-dir', cacheDir, '--json']);
    expect(withoutKeys.stdout).not.toContain(first.text);
  });

  it('answers but does not cache a prompt with personal data when the guard is on', async () => {
    const cacheDir = temporaryDirectory();
    const ask = [
      'ask',
      'My card is 4111 1111 1111 1111, what is my limit?',
      '--cache-dir',
      cacheDir,
      '--json',
    ];
    const env = { PROMPT_CACHE_SENSITIVE_GUARD: 'on' };
    const first = await runCli([...ask, '--provider', 'simulator'], { env });
    expect(first.code).toBe(0);
    expect(JSON.parse((await runCli([...ask, '--provider', 'simulator'], { env })).stdout).cached).toBe(
      false,
    );
  });

  it('rejects a malformed encryption key in one line', async () => {
    const run = await runCli(['ask', 'hi', '--provider', 'simulator'], {
      env: { PROMPT_CACHE_ENCRYPTION_KEYS: 'k1:short' },
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/must be 32 bytes.*openssl rand -base64 32/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
