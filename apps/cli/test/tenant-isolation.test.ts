import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, runCli, temporaryDirectory } from './run-cli.js';

afterAll(cleanUp);

// Two tenants share one cache directory, each in its own namespace. Whatever tenant B does through the
// CLI — ask the same question, list keys, inspect A's key, clear — it never reads or removes A's entry.
describe('tenant isolation through the CLI', () => {
  it('keeps namespaces apart on every command', async () => {
    const cacheDir = temporaryDirectory();
    const as = (tenant: string) => ['--cache-dir', cacheDir, '--namespace', tenant];
    const ask = (tenant: string) =>
      runCli(['ask', 'What is our refund policy?', ...as(tenant), '--provider', 'simulator', '--json']);

    const a = JSON.parse((await ask('tenant-a')).stdout);
    expect(a.cached).toBe(false);
    const b = JSON.parse((await ask('tenant-b')).stdout);
    expect(b.cached).toBe(false); // the same question in another namespace is a miss
    expect(b.key).not.toBe(a.key);

    const keysOfB = JSON.parse((await runCli(['keys', ...as('tenant-b'), '--json'])).stdout);
    expect(JSON.stringify(keysOfB)).not.toContain(a.key);

    const inspect = await runCli(['inspect', a.key, ...as('tenant-b')]);
    expect(inspect.code).not.toBe(0);
    expect(inspect.stdout).not.toContain(a.text);

    expect((await runCli(['clear', ...as('tenant-b'), '--yes'])).code).toBe(0);
    expect(JSON.parse((await ask('tenant-a')).stdout)).toMatchObject({ cached: true, key: a.key });
  });
});
