import { type CacheEntry, createPromptCache } from '@prompt-cache/core';
import { CorruptEntryError, ENTRY_SCHEMA_VERSION, statsByNamespace } from '@prompt-cache/core/store-kit';
import { createFakeClock } from '@prompt-cache/core/testing';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RELAXED_TIMEOUT_MS } from '../test/timeouts.js';
import { createRedisStore, type RedisStore, type RedisStoreOptions } from './index.js';

const entry = (value: string, expiresAt: number | null, meta: CacheEntry['meta'] = {}): CacheEntry => ({
  version: ENTRY_SCHEMA_VERSION,
  value,
  createdAt: Date.now(),
  expiresAt,
  meta,
});

describe('createRedisStore options', () => {
  it.each([
    [{ url: 'http://127.0.0.1:6379' }, /url must start with redis:\/\/ or rediss:\/\//],
    [{ url: 'not a url' }, /url is not a URL/],
    [{ url: 'redis://127.0.0.1:6379/x' }, /database in url must be a whole number/],
    [{ url: 'redis://a', cluster: { nodes: [{ port: 1 }] } }, /pass only one of url, client and cluster/],
    [{ cluster: { nodes: [] } }, /cluster.nodes must list at least one node/],
    [{ redisOptions: { keyPrefix: 'x:' } }, /pass keyPrefix to createRedisStore instead/],
    [{ commandTimeoutMs: 0 }, /commandTimeoutMs must be a whole number of milliseconds >= 1; got 0/],
    [{ connectTimeoutMs: -1 }, /connectTimeoutMs must be a whole number/],
    [{ lockPollMs: 1.5 }, /lockPollMs must be a whole number/],
    [{ maxBatchKeys: 0 }, /maxBatchKeys must be a whole number >= 1; got 0/],
    [{ entryMemoBytes: -1 }, /entryMemoBytes must be a whole number of bytes >= 0; got -1/],
    [{ keyPrefix: 42 }, /keyPrefix must be a string/],
    [{ client: {} }, /client must be an ioredis Redis or Cluster instance/],
    [{ clock: {} }, /clock must have a now\(\) method/],
  ] as Array<[RedisStoreOptions, RegExp]>)('rejects %j at creation', (options, message) => {
    expect(() => createRedisStore(options)).toThrow(message);
    try {
      createRedisStore(options);
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    }
  });

  it('names where it connects without the credentials', async () => {
    const plain = createRedisStore({ url: 'redis://cache:s3cret@127.0.0.1:1/2' });
    const secure = createRedisStore({ url: 'rediss://:s3cret@[::1]:2' });
    const cluster = createRedisStore({ cluster: { nodes: [{ host: '127.0.0.1', port: 3 }, { port: 4 }] } });
    expect(plain.target).toBe('redis://127.0.0.1:1/2');
    expect(secure.target).toBe('rediss://[::1]:2');
    expect(cluster.target).toBe('redis cluster 127.0.0.1:3,127.0.0.1:4');
    await Promise.all([plain.close(), secure.close(), cluster.close()]);
  });

  it('refuses a client that prefixes keys by itself', () => {
    const client = new Redis({ lazyConnect: true, keyPrefix: 'app:' });
    expect(() => createRedisStore({ client })).toThrow(/client has ioredis keyPrefix "app:"/);
    client.disconnect();
  });
});

describeWithRedis('createRedisStore', () => {
  let server: RedisServerHandle;
  let admin: Redis;
  const stores: RedisStore[] = [];
  let run = 0;
  const open = (options: RedisStoreOptions = {}) => {
    const store = createRedisStore({
      url: server.url,
      keyPrefix: `store-${run++}:`,
      commandTimeoutMs: RELAXED_TIMEOUT_MS,
      ...options,
    });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.port, '127.0.0.1');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });

  it('stores compact serialized entries under <keyPrefix>entry: with Redis’s own PX expiry', async () => {
    const clock = createFakeClock();
    const store = open({ clock });
    await store.set('ns:v1:a', entry('{"text":"hi"}', clock.now() + 5_000));
    await store.set('ns:v1:b', entry('forever', null));
    const pttl = await admin.pttl(`${store.keyPrefix}entry:ns:v1:a`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(5_000);
    expect(await admin.pttl(`${store.keyPrefix}entry:ns:v1:b`)).toBe(-1);
    const raw = await admin.getBuffer(`${store.keyPrefix}entry:ns:v1:a`);
    expect(raw!.subarray(0, 3).toString()).toBe(`PC${ENTRY_SCHEMA_VERSION}`);
    expect((await store.get('ns:v1:a'))?.value).toBe('{"text":"hi"}');
  });

  it('does not store an entry that has already expired, and removes the older one', async () => {
    const clock = createFakeClock();
    const store = open({ clock });
    await store.set('k', entry('old', null));
    await store.set('k', entry('stale', clock.now() - 1));
    expect(await admin.exists(`${store.keyPrefix}entry:k`)).toBe(0);
  });

  it('deletes a corrupt entry and reports it as CorruptEntryError; the cache counts an error and a miss', async () => {
    const store = open();
    await admin.set(`${store.keyPrefix}entry:bad`, 'definitely not an entry');
    await expect(store.get('bad')).rejects.toBeInstanceOf(CorruptEntryError);
    expect(await admin.exists(`${store.keyPrefix}entry:bad`)).toBe(0);

    const cache = createPromptCache<string, string>({ store, lock: false });
    const key = cache.keyFor('question');
    await admin.set(`${store.keyPrefix}entry:${key}`, Buffer.from([0x50, 0x43, 0x31, 0x20, 0x00]));
    const result = await cache.getOrCompute('question', async () => 'fresh');
    expect(result).toMatchObject({ status: 'miss', value: 'fresh', stored: true });
    expect(cache.stats.snapshot()).toMatchObject({ errors: 1, misses: 1 });
  });

  it('coalesces concurrent reads into MGETs of at most maxBatchKeys keys, each read judged on its own', async () => {
    const calls = async () => {
      const text = await admin.info('commandstats');
      const count = (command: string) =>
        Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(text)?.[1] ?? 0);
      return { get: count('get'), mget: count('mget') };
    };
    const store = open({ maxBatchKeys: 4 });
    for (let index = 0; index < 6; index++) await store.set(`k${index}`, entry(`v${index}`, null));
    await admin.set(`${store.keyPrefix}entry:corrupt`, 'not an entry');
    const before = await calls();
    const keys = ['k0', 'k1', 'missing', 'k2', 'corrupt', 'k3', 'k4', 'k5', 'k0'];
    const results = await Promise.allSettled(keys.map((key) => store.get(key)));
    const after = await calls();
    expect(after.mget - before.mget).toBe(3); // 9 reads: MGETs of 4, 4 and 1 keys
    expect(after.get - before.get).toBe(0);
    expect(
      results.map((result) => (result.status === 'fulfilled' ? (result.value?.value ?? null) : 'corrupt')),
    ).toEqual(['v0', 'v1', null, 'v2', 'corrupt', 'v3', 'v4', 'v5', 'v0']);
    expect(await admin.exists(`${store.keyPrefix}entry:corrupt`)).toBe(0);

    const unbatched = open({ maxBatchKeys: 1 });
    await unbatched.set('k', entry('v', null));
    const beforeUnbatched = await calls();
    await Promise.all([unbatched.get('k'), unbatched.get('k'), unbatched.get('k')]);
    const afterUnbatched = await calls();
    expect(afterUnbatched.mget - beforeUnbatched.mget).toBe(0);
    expect(afterUnbatched.get - beforeUnbatched.get).toBe(3);
  });

  it('hands out the same frozen entry while the bytes in Redis are unchanged, and sees every change', async () => {
    const store = open();
    const other = open({ keyPrefix: store.keyPrefix }); // another process on the same keys
    expect(store.flags.reusesEntries).toBe(true);
    await store.set('k', entry('first', null));
    const first = await store.get('k');
    expect(await store.get('k')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);

    await other.set('k', entry('second', null));
    expect((await store.get('k'))?.value).toBe('second');
    await other.delete('k');
    expect(await store.get('k')).toBeUndefined();

    const unmemoized = open({ keyPrefix: store.keyPrefix, entryMemoBytes: 0 });
    expect(unmemoized.flags.reusesEntries).toBe(false);
    await unmemoized.set('k', entry('third', null));
    expect(await unmemoized.get('k')).not.toBe(await unmemoized.get('k'));
  });

  it('clears by prefix with SCAN, treating glob characters literally, and never touches locks or stats', async () => {
    const store = open();
    for (const key of ['a*:1', 'a*:2', 'ab:1', 'a?:1', 'a[b]:1', 'b:1'])
      await store.set(key, entry(key, null));
    await store.stats.add({ hits: 1 });
    const lock = await store.lock.acquire('a*:1', 60_000);
    expect(await store.clear('a*')).toBe(2);
    expect(await store.clear('a[b]')).toBe(1);
    const left: string[] = [];
    for await (const key of store.keys()) left.push(key);
    expect(left.sort()).toEqual(['a?:1', 'ab:1', 'b:1']);
    expect(await store.clear()).toBe(3);
    expect((await store.stats.read()).hits).toBe(1);
    expect(await admin.exists(`${store.keyPrefix}lock:a*:1`)).toBe(1);
    await lock!.release();
  });

  it('leaves other prefixes alone', async () => {
    const mine = open();
    const theirs = open();
    await mine.set('k', entry('mine', null));
    await theirs.set('k', entry('theirs', null));
    expect(await mine.clear()).toBe(1);
    expect((await theirs.get('k'))?.value).toBe('theirs');
  });

  it('counts entries and serialized bytes, sampling beyond sizeSampleKeys', async () => {
    const exact = open();
    for (let index = 0; index < 10; index++) await exact.set(`k${index}`, entry('x'.repeat(1_000), null));
    const size = await exact.size();
    expect(size.entries).toBe(10);
    expect(size.bytes).toBeGreaterThan(10_000);
    const sampled = createRedisStore({
      url: server.url,
      keyPrefix: exact.keyPrefix,
      sizeSampleKeys: 3,
      commandTimeoutMs: RELAXED_TIMEOUT_MS,
    });
    stores.push(sampled);
    expect(await sampled.size()).toEqual(size); // equal entries, so the estimate is exact
  });

  it('keeps shared statistics that every process and a later run add up', async () => {
    const keyPrefix = `shared-stats-${run++}:`;
    const describeAnswer = () => ({ costUsd: 0.0025, usage: { inputTokens: 100, outputTokens: 20 } });
    const first = createPromptCache<string, string>({
      store: createRedisStore({ url: server.url, keyPrefix, commandTimeoutMs: RELAXED_TIMEOUT_MS }),
      describe: describeAnswer,
    });
    const second = createPromptCache<string, string>({
      store: createRedisStore({ url: server.url, keyPrefix, commandTimeoutMs: RELAXED_TIMEOUT_MS }),
      describe: describeAnswer,
    });
    expect((await first.getOrCompute('q', async () => 'answer')).status).toBe('miss');
    expect((await second.getOrCompute('q', async () => 'other')).status).toBe('hit');
    expect((await first.getOrCompute('q', async () => 'other')).status).toBe('hit');
    expect((await second.getOrCompute('q2', async () => 'answer 2')).status).toBe('miss');
    await first.close(); // flushes its stats, then closes its store
    await second.close();

    const fresh = open({ keyPrefix });
    const totals = statsByNamespace(await fresh.stats.read()).total;
    expect(totals).toMatchObject({
      hits: 2,
      misses: 2,
      sets: 2,
      savedUsd: 0.005,
      spentUsd: 0.005,
      savedTokens: 240,
    });
    expect(totals.latency.hit.count + totals.latency.miss.count).toBe(4);

    await fresh.stats.reset();
    expect(await fresh.stats.read()).toEqual({});
  });

  it('adds a whole number to a field that already holds a fraction', async () => {
    const store = open();
    await store.stats.add({ savedUsd: 0.25, hits: 1 });
    await store.stats.add({ savedUsd: 1, hits: 2, ignored: 0 });
    await store.stats.add({ savedUsd: 0.5 });
    expect(await store.stats.read()).toEqual({ savedUsd: 1.75, hits: 3 });
  });

  it('uses a client passed in without closing it', async () => {
    const client = new Redis(server.port, '127.0.0.1');
    const store = createRedisStore({
      client,
      keyPrefix: `client-${run++}:`,
      commandTimeoutMs: RELAXED_TIMEOUT_MS,
    });
    await store.set('k', entry('v', null));
    expect((await store.get('k'))?.value).toBe('v');
    await store.lock.waitForRelease('nothing-held', 1_000); // creates (and later closes) the subscriber
    await store.close();
    expect(client.status).toBe('ready');
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('closes the client it created', async () => {
    const store = createRedisStore({
      url: server.url,
      keyPrefix: `own-${run++}:`,
      commandTimeoutMs: RELAXED_TIMEOUT_MS,
    });
    await store.ping();
    await store.close();
    await store.close(); // harmless
    expect(store.client.status).toBe('end');
    await expect(store.get('k')).rejects.toThrow('[store-redis] the store is closed; create a new one');
  });
});
