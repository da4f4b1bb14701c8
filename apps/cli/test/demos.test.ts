import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, errorLines, runCli, temporaryDirectory } from './run-cli.js';

afterAll(cleanUp);

describe('demo', () => {
  it('--yes runs the six questions straight through and ends with the statistics', async () => {
    const run = await runCli(['demo', '--yes']);
    expect(run.code).toBe(0);
    for (let step = 1; step <= 6; step++) expect(run.stdout).toContain(`Question ${step} of 6`);
    expect(run.stdout.match(/^ {2}MISS /gm)).toHaveLength(3);
    expect(run.stdout.match(/^ {2}HIT /gm)).toHaveLength(3);
    expect(run.stdout).toContain('the same key as question 1');
    expect(run.stdout).toContain('question 2 stored an answer under this key, so the model was not called');
    expect(run.stdout).toMatch(/lookups\s+│ 6 \(3 hits, 3 misses\)/);
    expect(run.stdout).toContain('3 of 6 questions came from the cache: a 50% hit rate.');
    expect(run.stdout).toContain('[simulated]');
    expect(run.stdout).not.toContain('Press Enter');
    expect(errorLines(run)).toEqual([expect.stringMatching(/^prompt-cache: provider: simulator \(auto:/)]);
  });

  it('runs straight through without --yes when stdin is not a terminal', async () => {
    const run = await runCli(['demo', '--provider', 'simulator']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Question 6 of 6');
    expect(run.stderr).toBe('');
  });

  it('--quick compares one question asked twice', async () => {
    const run = await runCli(['demo', '--quick']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/cache\s+│ MISS\s+│ HIT/);
    expect(run.stdout).toMatch(/model called\s+│ yes\s+│ no/);
    expect(run.stdout).toContain('(same)');
    expect(run.stdout).toContain('Same request, same key, so the second call came from the cache');
  });

  it(
    '--advanced tours a file cache in a temporary directory and removes it',
    { timeout: 60_000 },
    async () => {
      const run = await runCli(['demo', '--advanced', '--yes'], { timeoutMs: 60_000 });
      expect(run.code).toBe(0);
      for (let part = 1; part <= 6; part++) expect(run.stdout).toContain(`Part ${part} of 6`);
      expect(run.stdout).toContain('The new cache had never seen this question, yet it was a hit');
      expect(run.stdout).toMatch(/\+ requestMetadata.*│ HIT/);
      expect(run.stdout).toMatch(/\+ temperature 0\.2.*│ MISS/);
      expect(run.stdout).toContain('prompt-cache prune: removed 1 expired entry');
      expect(run.stdout).toMatch(/prompt-cache clear --namespace demo --yes: removed \d+ entries/);
      const directory = /file cache in (\S+),/.exec(run.stdout)?.[1];
      expect(directory).toMatch(/prompt-cache-demo-/);
      const { existsSync } = await import('node:fs');
      expect(existsSync(directory!)).toBe(false);
    },
  );

  it('--advanced --cache-dir keeps the directory', { timeout: 60_000 }, async () => {
    const cacheDir = temporaryDirectory();
    const run = await runCli(['demo', '--advanced', '--yes', '--cache-dir', cacheDir], { timeoutMs: 60_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`file cache in ${cacheDir}`);
    const stats = JSON.parse((await runCli(['stats', '--cache-dir', cacheDir, '--json'])).stdout);
    expect(stats.hits).toBeGreaterThan(0);
  });

  it('--quick with --advanced is a usage error', async () => {
    const run = await runCli(['demo', '--quick', '--advanced']);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual(['prompt-cache: choose one of --quick and --advanced']);
  });
});

describe('test-expiration', () => {
  it('--ttl 1: a miss, a hit, a wait past the TTL, a miss again', async () => {
    const run = await runCli(['test-expiration', '--ttl', '1']);
    expect(run.code).toBe(0);
    const statuses = run.stdout.match(/^ {2}(MISS|HIT) /gm)?.map((status) => status.trim());
    expect(statuses).toEqual(['MISS', 'HIT', 'MISS']);
    expect(run.stdout).toMatch(/waiting .* for the entry to expire/);
    expect(run.stdout).toContain('the entry expired, so the model was asked again');
  });

  it.each([['0'], ['-1'], ['abc'], ['1000']])('--ttl %s is a usage error', async (ttl) => {
    const run = await runCli(['test-expiration', '--ttl', ttl]);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toHaveLength(1);
  });
});
