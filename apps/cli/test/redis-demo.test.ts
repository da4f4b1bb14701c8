import { findFreePort, type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanUp, errorLines, runCli, startCli } from './run-cli.js';

afterAll(cleanUp);

interface RedisDemoJson {
  pid: number;
  run: { hits: number; misses: number; fromOtherProcesses: number };
  shared: { hits: number; misses: number; hitRate: number; coalesced: number };
  entries: number;
}

describeWithRedis('redis-demo', () => {
  // A fresh Redis per test: sizes and shared statistics count the whole server, and every test makes its data.
  let server: RedisServerHandle;
  beforeEach(async () => {
    server = await startRedisServer();
  });
  afterEach(() => server?.stop());

  it(
    'a second process finds the first one’s answers, and the statistics add up in Redis',
    { timeout: 60_000 },
    async () => {
      const args = ['redis-demo', '--redis-url', server.url, '--namespace', 'sequential', '--json'];
      const first = await runCli(args);
      expect(first.code).toBe(0);
      const one: RedisDemoJson = JSON.parse(first.stdout);
      expect(one.run).toEqual({ hits: 1, misses: 3, fromOtherProcesses: 0 });
      expect(one.entries).toBe(3);

      const second = await runCli(args);
      const two: RedisDemoJson = JSON.parse(second.stdout);
      expect(two.pid).not.toBe(one.pid);
      expect(two.run).toEqual({ hits: 4, misses: 0, fromOtherProcesses: 4 });
      expect(two.shared).toMatchObject({ hits: 5, misses: 3 });

      const text = await runCli(['redis-demo', '--redis-url', server.url, '--namespace', 'sequential']);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`Redis, stored by process ${one.pid}`);
      expect(text.stdout).toContain('Shared statistics (kept in Redis, every process and run)');
      expect(text.stdout).toMatch(/lookups\s+│ 12 \(9 hits, 3 misses\)/);
    },
  );

  it(
    'two processes at once share one cache: every question reaches the model once',
    { timeout: 60_000 },
    async () => {
      const args = ['redis-demo', '--redis-url', server.url, '--namespace', 'concurrent', '--json'];
      // A slow simulator (1.5 s an answer), so both processes ask the first question while it is being answered.
      const env = { PROMPT_CACHE_SIMULATOR_LATENCY_MS: '1500' };
      const [left, right] = await Promise.all([startCli(args, { env }).done, startCli(args, { env }).done]);
      expect(left.code).toBe(0);
      expect(right.code).toBe(0);
      const runs: RedisDemoJson[] = [JSON.parse(left.stdout), JSON.parse(right.stdout)];
      expect(runs[0]!.run.misses + runs[1]!.run.misses).toBe(3);
      expect(runs[0]!.run.hits + runs[1]!.run.hits).toBe(5);
      // Only runs that overlap wait on each other's lock: one after the other, nothing is coalesced.
      expect(Math.max(runs[0]!.shared.coalesced, runs[1]!.shared.coalesced)).toBeGreaterThanOrEqual(1);
    },
  );

  it('stats, keys and clear work on the Redis cache', { timeout: 60_000 }, async () => {
    const namespace = ['--redis-url', server.url, '--namespace', 'admin-commands'];
    expect((await runCli(['redis-demo', ...namespace, '--json'])).code).toBe(0);
    const store = ['--cache-type', 'redis', ...namespace];
    expect(JSON.parse((await runCli(['stats', ...store, '--json'])).stdout)).toMatchObject({
      scope: 'persisted',
      hits: 1,
      misses: 3,
    });
    expect(JSON.parse((await runCli(['keys', ...store, '--json'])).stdout).entries).toHaveLength(3);
    expect(JSON.parse((await runCli(['clear', ...store, '--yes', '--json'])).stdout)).toMatchObject({
      removed: 3,
    });
    expect((await runCli(['prune', ...store])).stdout).toContain('expires entries by itself');
  });
});

describe('redis-demo without Redis', () => {
  it('fails with one line naming the URL, exit code 1', async () => {
    const port = await findFreePort();
    const run = await runCli(['redis-demo', '--redis-url', `redis://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^prompt-cache: \\[store-redis\\] cannot reach redis://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); is redis-server running\\? redis-demo needs one`,
        ),
      ),
    ]);
  });
});
