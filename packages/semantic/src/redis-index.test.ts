import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findFreePort,
  spawnSourceWorker,
  startRedisCluster,
  startRedisServer,
} from '@prompt-cache/test-redis';
import { describeWithRedis, describeWithRedisCluster } from '@prompt-cache/test-redis/vitest';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openNamespacedIndexes } from '../test/namespaced-indexes.js';
import { openSharedIndexCache, original, paraphrase, type RedisTarget } from '../test/shared-index-cache.js';
import { redisIndex } from './redis-index.js';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const worker = join(packageDirectory, 'test', 'shared-index-worker.ts');
/** A generous bound for the child's wait-for loop (not a timing assertion: the hit is expected within a second). */
const WORKER_DEADLINE_MS = 15_000;
/** The child's start (tsx compiles the sources) plus its deadline, with room to spare. */
const WORKER_TEST_TIMEOUT_MS = 60_000;
const workers = new Set<ChildProcess>();

/** Polls `condition` until it holds or `ms` passed. */
async function waitFor(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts the worker; resolves `ready` once it loaded the index, and `result` with what it printed last. */
function startWorker(target: RedisTarget, keyPrefix: string) {
  const child = spawnSourceWorker(
    worker,
    [JSON.stringify(target), keyPrefix, String(WORKER_DEADLINE_MS)],
    packageDirectory,
  );
  workers.add(child);
  let stdout = '';
  let stderr = '';
  let announce: () => void;
  const ready = new Promise<void>((resolve) => {
    announce = resolve;
  });
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) announce();
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const result = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      workers.delete(child);
      const lines = stdout.trim().split('\n');
      if (code === 0 && lines.length === 2) resolve(JSON.parse(lines[1]!));
      else reject(new Error(`worker exited with ${code}: ${stderr || stdout}`));
    });
  });
  return { ready: Promise.race([ready, result.then(() => undefined)]), result };
}

afterEach(() => {
  // A worker still running belongs to a failed test: stop it, by its own handle.
  for (const child of workers) child.kill();
});

/** The same tests on a standalone server and on a Cluster. */
function sharedIndexTests(target: () => RedisTarget) {
  let run = 0;
  const opened: Array<ReturnType<typeof openSharedIndexCache>> = [];
  const open = (keyPrefix: string, namespace?: string) => {
    const cache = openSharedIndexCache(target(), keyPrefix, namespace);
    opened.push(cache);
    return cache;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((cache) => cache.close()));
  });

  it(
    'a second process serves a semantic hit the first one wrote',
    async () => {
      const keyPrefix = `shared-${run++}:`;
      const first = open(keyPrefix);
      await first.stage.ready;
      const second = startWorker(target(), keyPrefix);
      await second.ready;
      const written = await first.cache.getOrCompute(original, async () => 'the answer about retention');
      await first.stage.flush();
      const served = await second.result;
      expect(served).toMatchObject({
        status: 'hit',
        value: 'the answer about retention',
        semantic: { matchedKey: written.key, matchedPrompt: original.prompt },
        errors: [],
      });
      expect(first.errors).toEqual([]);
    },
    WORKER_TEST_TIMEOUT_MS,
  );

  it('a process started later loads the shared index, and a drop reaches every process', async () => {
    const keyPrefix = `shared-${run++}:`;
    const first = open(keyPrefix);
    const written = await first.cache.getOrCompute(original, async () => 'the answer about retention');
    await first.stage.flush();

    const later = open(keyPrefix);
    await later.stage.ready;
    expect(later.stage.index.size()).toBe(1);
    await later.cache.invalidate(written.key);
    const read = (key: string) => later.store.get(key);
    expect(await later.stage.lookup(paraphrase, later.cache.keyFor(paraphrase), read)).toBeUndefined();
    expect(later.stage.counters.dropped).toBe(1);
    await later.stage.flush();
    await waitFor(() => first.stage.index.size() === 0);

    const third = open(keyPrefix);
    await third.stage.ready;
    expect(third.stage.index.size()).toBe(0);
    expect([...first.errors, ...later.errors, ...third.errors]).toEqual([]);
  });

  it("a namespace's index has keys of its own: another namespace's process loads none of its prompts", async () => {
    const keyPrefix = `shared-${run++}:`;
    const writer = open(keyPrefix, 'tenant-a');
    await writer.cache.getOrCompute(original, async () => 'the answer about retention');
    await writer.stage.flush();
    expect(await writer.store.client.call('HLEN', `${keyPrefix}{semantic.tenant-a}:prompts`)).toBe(1);

    const { sizes } = await openNamespacedIndexes((namespace) => open(keyPrefix, namespace));
    expect(sizes).toEqual([1, 0, 0]);
    expect(() => redisIndex(writer.store, { namespace: 'a}b' })).toThrow(/namespace "a}b" is invalid/);
  });
}

describeWithRedis('redisIndex on a standalone server', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  sharedIndexTests(() => ({ url: server.url }));

  it('carries on in memory when Redis is unreachable, reported in one line, never an error for the caller', async () => {
    const port = await findFreePort();
    const cache = openSharedIndexCache({ url: `redis://127.0.0.1:${port}` }, 'down:');
    try {
      await cache.stage.ready;
      expect(cache.errors).toHaveLength(1);
      expect(cache.errors[0]).toMatch(/^\[semantic\] the Redis index is unreachable/);
      const result = await cache.cache.getOrCompute(original, async () => 'computed');
      expect(result.value).toBe('computed');
      cache.stage.remember(original, result.key, result.value);
      await cache.stage.flush();
      expect(cache.stage.index.size()).toBe(1);
      expect(cache.errors).toHaveLength(1);
    } finally {
      await cache.close();
    }
  });

  it('after an outage, reports it once per process, then reloads and follows again', async () => {
    const own = await startRedisServer();
    const writer = openSharedIndexCache({ url: own.url }, 'outage:');
    const reader = openSharedIndexCache({ url: own.url }, 'outage:');
    try {
      await Promise.all([writer.stage.ready, reader.stage.ready]);
      own.kill();
      await waitFor(() => reader.errors.length > 0);
      await own.restart(); // empty: the index is gone with the data
      await waitFor(
        () =>
          writer.store.ping().then(
            () => true,
            () => false,
          ),
        15_000,
      );
      await writer.cache.getOrCompute(original, async () => 'the answer about retention');
      await writer.stage.flush();
      await waitFor(() => reader.stage.index.size() === 1, 15_000);
      const hit = await reader.cache.getOrCompute(paraphrase, async () => 'not this one');
      expect(hit).toMatchObject({ status: 'hit', value: 'the answer about retention' });
      expect(reader.errors).toHaveLength(1);
      expect(reader.errors[0]).toMatch(/^\[semantic\] the Redis index is unreachable/);
    } finally {
      await Promise.all([writer.close(), reader.close()]);
      await own.stop();
    }
  });

  it('refuses a source that is not a Redis store, with what to pass instead', () => {
    expect(() => redisIndex({} as never)).toThrow(/redisIndex\(store\)/);
  });
});

describeWithRedisCluster('redisIndex on a Redis Cluster', () => {
  let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  });
  afterAll(() => cluster?.stop());

  sharedIndexTests(() => ({ cluster: { nodes: cluster.nodes } }));
});
