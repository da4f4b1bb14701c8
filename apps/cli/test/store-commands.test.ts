import { createStoreFromOptions } from '@prompt-cache/app-kit';
import { ENTRY_SCHEMA_VERSION } from '@prompt-cache/core/store-kit';
import { findFreePort } from '@prompt-cache/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, errorLines, runCli, temporaryDirectory } from './run-cli.js';

afterAll(cleanUp);

// Vitest shuffles tests under CI: the tests that read share one cache, the tests that clear make their own.
let cacheDir: string;
let key: string;
const store = () => ['--cache-dir', cacheDir];

/** A new file cache with one answer (a miss) in namespace prompt-cache and one in namespace other. */
async function cacheWithTwoNamespaces(): Promise<string> {
  const directory = temporaryDirectory();
  const ask = ['ask', '--cache-dir', directory, '--provider', 'simulator'];
  await runCli([...ask, 'What is machine learning?']);
  await runCli([...ask, 'Second question', '--namespace', 'other']);
  return directory;
}

beforeAll(async () => {
  cacheDir = await cacheWithTwoNamespaces();
  // Asked again: a hit, so the shared cache has counted 1 hit and 2 misses.
  const ask = ['ask', 'What is machine learning?', ...store(), '--provider', 'simulator', '--json'];
  key = JSON.parse((await runCli(ask)).stdout).key;
}, 60_000);

describe('stats', () => {
  it('--json shows the persisted statistics of the file cache', async () => {
    const run = await runCli(['stats', ...store(), '--json']);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout);
    expect(stats).toMatchObject({
      cacheType: 'file',
      location: cacheDir,
      scope: 'persisted',
      hits: 1,
      misses: 2,
      entries: 2,
    });
    expect(stats.hitRate).toBeCloseTo(1 / 3);
    expect(stats.savedUsd).toBeGreaterThan(0);
    expect(stats.latency.hit.p50).toBeGreaterThan(0);
    expect(stats.latency.miss.p95).toBeGreaterThan(0);
    expect(stats.bytes).toBeGreaterThan(0);
  });

  it('--namespace shows that namespace, and the total across namespaces as such', async () => {
    const run = await runCli(['stats', ...store(), '--namespace', 'other', '--json']);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout);
    expect(stats).toMatchObject({ namespace: 'other', hits: 0, misses: 1 });
    expect(stats.allNamespaces).toMatchObject({ hits: 1, misses: 2 });
    expect(stats.namespaces).toEqual(['other', 'prompt-cache']);
    const table = await runCli(['stats', ...store(), '--namespace', 'other']);
    expect(table.stdout).toContain(`Statistics of namespace other in the file cache in ${cacheDir}`);
    expect(table.stdout).toMatch(/lookups\s+│ 1 \(0 hits, 1 miss\)/);
    expect(table.stdout).toMatch(/all namespaces \(2\)\s+│ 3 lookups \(1 hit, 2 misses\)/);
  });

  it('prints a table', async () => {
    const run = await runCli(['stats', ...store()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Statistics of all namespaces (2) in the file cache in ${cacheDir}`);
    expect(run.stdout).toMatch(/lookups\s+│ 3 \(1 hit, 2 misses\)/);
    expect(run.stdout).toMatch(/hit rate\s+│ 33\.3%/);
    // Shared stats keep histogram buckets: the table says the figures are estimates, and of how many calls.
    expect(run.stdout).toMatch(/miss latency\s+│ p50 .+ \(2 calls, estimated from a histogram/);
    expect(run.stdout).toMatch(/stored bytes now \(whole entries\)/);
  });

  it('a memory cache has no statistics between runs, and says so', async () => {
    const run = await runCli(['stats', '--cache-type', 'memory', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ scope: 'process', hits: 0 });
    expect(errorLines(run)).toEqual([expect.stringContaining('a memory cache lives inside one process')]);
  });

  it('an unreachable Redis is one line naming the URL, exit code 1', async () => {
    const port = await findFreePort();
    const run = await runCli(['stats', '--cache-type', 'redis', '--redis-url', `redis://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      `prompt-cache: [store-redis] cannot reach redis://127.0.0.1:${port} (ECONNREFUSED); is redis-server running?`,
    ]);
    const json = await runCli([
      'stats',
      '--cache-type',
      'redis',
      '--redis-url',
      `redis://127.0.0.1:${port}`,
      '--json',
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: `[store-redis] cannot reach redis://127.0.0.1:${port} (ECONNREFUSED); is redis-server running?`,
    });
  });
});

describe('keys', () => {
  it('lists the entries of the namespace', async () => {
    const run = await runCli(['keys', ...store(), '--json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout);
    expect(listed.namespace).toBe('prompt-cache');
    expect(listed.entries.map((entry: { key: string }) => entry.key)).toEqual([key]);
    expect(listed.entries[0]).toMatchObject({ model: 'amazon.nova-lite-v1:0', provider: 'simulator' });
  });

  it('--all-namespaces lists every entry; the table shows short keys', async () => {
    const all = JSON.parse((await runCli(['keys', ...store(), '--all-namespaces', '--json'])).stdout);
    expect(all.entries).toHaveLength(2);
    const table = await runCli(['keys', ...store()]);
    expect(table.stdout).toContain('1 entry in namespace "prompt-cache"');
    expect(table.stdout).toContain(`${key.slice(0, 'prompt-cache:v1:'.length + 12)}…`);
  });

  it('a bad --limit is a usage error', async () => {
    const run = await runCli(['keys', ...store(), '--limit', '0']);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual(['prompt-cache: --limit must be a whole number >= 1; got "0"']);
  });
});

describe('inspect', () => {
  it('by key: the entry and its TTL left', async () => {
    const run = await runCli(['inspect', key, ...store(), '--json']);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout);
    expect(shown).toMatchObject({ key, found: true, explanation: null });
    expect(shown.entry.ttlLeftSeconds).toBeGreaterThan(3500);
    expect(shown.entry.text).toMatch(/^\[simulated\] /);
  });

  it('by prompt: the same entry and the canonical key material', async () => {
    const run = await runCli(['inspect', '--prompt', 'What is machine learning?', ...store()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`key ${key}`);
    expect(run.stdout).toMatch(/TTL\s+│ \d+ min \d+ s left/);
    expect(run.stdout).toContain('Key material (canonical JSON, then SHA-256):');
    expect(run.stdout).toContain(
      '{"operation":"Converse","prompt":{"messages":[{"content":[{"text":"What is machine learning?"}],"role":"user"}]},"scope":{"modelId":"amazon.nova-lite-v1:0"},"upstream":"simulator"}',
    );
  });

  it('takes a key as keys shows it (cut short), and fails (exit 1) on a key with no entry', async () => {
    const short = `${key.slice(0, 'prompt-cache:v1:'.length + 12)}…`;
    const run = await runCli(['inspect', short, ...store(), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ key, found: true });
    const missing = await runCli(['inspect', `prompt-cache:v1:${'0'.repeat(64)}`, ...store()]);
    expect(missing.code).toBe(1);
    expect(errorLines(missing)).toEqual([
      expect.stringContaining('no live entry under key prompt-cache:v1:000'),
    ]);
  });

  it('a prompt that was never asked is not found (exit 0), with its key material', async () => {
    const run = await runCli(['inspect', '--prompt', 'Never asked', ...store(), '--json']);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout);
    expect(shown).toMatchObject({ found: false, entry: null });
    expect(shown.explanation.material).toContain('Never asked');
  });

  it('needs exactly one of a key, --prompt and --request', async () => {
    for (const args of [['inspect'], ['inspect', key, '--prompt', 'x']]) {
      const run = await runCli([...args, ...store()]);
      expect(run.code).toBe(2);
      expect(errorLines(run)).toEqual([expect.stringContaining('name exactly one entry')]);
    }
  });
});

describe('prune and clear', () => {
  it('prune removes nothing when nothing expired', async () => {
    const run = await runCli(['prune', ...store()]);
    expect(run).toMatchObject({
      code: 0,
      stdout: `Removed 0 expired or unreadable entries from the file cache in ${cacheDir}.\n`,
    });
  });

  it('prune removes expired entries', async () => {
    const directory = temporaryDirectory();
    // An entry that expired a second ago, written with the store itself (no test sleeps to test TTL).
    const fileStore = createStoreFromOptions({ cacheType: 'file', cacheDir: directory });
    const now = Date.now();
    const expired = {
      version: ENTRY_SCHEMA_VERSION,
      value: '{}',
      createdAt: now - 2000,
      expiresAt: now - 1000,
      meta: {},
    };
    await fileStore.set('prompt-cache:v1:expired', expired);
    await fileStore.set('prompt-cache:v1:live', { ...expired, expiresAt: null });
    const run = await runCli(['prune', '--cache-dir', directory, '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ removed: 1 });
    const listed = JSON.parse((await runCli(['keys', '--cache-dir', directory, '--json'])).stdout);
    expect(listed.entries.map((entry: { key: string }) => entry.key)).toEqual(['prompt-cache:v1:live']);
  });

  it('clear refuses without --yes when stdin is not a terminal', async () => {
    const directory = await cacheWithTwoNamespaces();
    const run = await runCli(['clear', '--cache-dir', directory]);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual([
      'prompt-cache: refusing to clear the cache without confirmation: standard input is not a terminal; pass --yes',
    ]);
    const listed = await runCli(['keys', '--cache-dir', directory, '--json']);
    expect(JSON.parse(listed.stdout).entries).toHaveLength(1);
  });

  it('clear --yes removes the namespace only; --all-namespaces --reset-stats the rest', async () => {
    const directory = await cacheWithTwoNamespaces();
    const run = await runCli(['clear', '--cache-dir', directory, '--yes', '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({
      removed: 1,
      namespace: 'prompt-cache',
      statsReset: false,
    });
    const rest = await runCli([
      'clear',
      '--cache-dir',
      directory,
      '--yes',
      '--all-namespaces',
      '--reset-stats',
    ]);
    expect(rest.stdout).toBe(
      `Removed 1 entry of every namespace from the file cache in ${directory}. Statistics reset.\n`,
    );
    expect(JSON.parse((await runCli(['stats', '--cache-dir', directory, '--json'])).stdout)).toMatchObject({
      hits: 0,
      misses: 0,
      entries: 0,
    });
  });
});
