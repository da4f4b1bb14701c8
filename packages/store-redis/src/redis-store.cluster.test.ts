import { type CacheEntry, createPromptCache } from '@prompt-cache/core';
import { ENTRY_SCHEMA_VERSION, statsByNamespace } from '@prompt-cache/core/store-kit';
import { type RedisClusterHandle, startRedisCluster } from '@prompt-cache/test-redis';
import { describeWithRedisCluster } from '@prompt-cache/test-redis/vitest';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { RELAXED_TIMEOUT_MS } from '../test/timeouts.js';
import { createRedisStore, type RedisStore, type RedisStoreOptions } from './index.js';

const entry = (value: string): CacheEntry => ({
  version: ENTRY_SCHEMA_VERSION,
  value,
  createdAt: Date.now(),
  expiresAt: Date.now() + 60_000,
  meta: {},
});

describeWithRedisCluster('createRedisStore on a Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  const stores: RedisStore[] = [];
  let run = 0;
  const open = (options: RedisStoreOptions = {}) => {
    const store = createRedisStore({
      cluster: { nodes: cluster.nodes },
      keyPrefix: `cluster-${run++}:`,
      commandTimeoutMs: RELAXED_TIMEOUT_MS,
      ...options,
    });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(() => cluster?.stop());

  it('clears and lists keys spread over every master', async () => {
    const store = open();
    expect(store.isCluster).toBe(true);
    const keys = Array.from({ length: 300 }, (_, index) => `tenant:v1:${index}`);
    await Promise.all(keys.map((key) => store.set(key, entry(key))));
    await store.set('other:v1:1', entry('other'));

    // Every master holds some of them: the keys really are spread over the slots.
    for (const port of cluster.ports) {
      const node = new Redis(port, '127.0.0.1');
      const [, found] = await node.scan('0', 'MATCH', `${store.keyPrefix}entry:tenant:*`, 'COUNT', 1_000);
      expect(found.length).toBeGreaterThan(0);
      node.disconnect();
    }
    const listed: string[] = [];
    for await (const key of store.keys('tenant:')) listed.push(key);
    expect(listed.sort()).toEqual([...keys].sort());
    expect((await store.size()).entries).toBe(301);

    expect(await store.clear('tenant:')).toBe(300);
    expect(await store.get('tenant:v1:7')).toBeUndefined();
    expect((await store.get('other:v1:1'))?.value).toBe('other');
    expect(await store.clear()).toBe(1);
  });

  it('shares statistics between caches and with a later store', async () => {
    const keyPrefix = `cluster-stats-${run++}:`;
    const meta = () => ({ costUsd: 0.001 });
    const first = createPromptCache<string, string>({ store: open({ keyPrefix }), describe: meta });
    const second = createPromptCache<string, string>({ store: open({ keyPrefix }), describe: meta });
    expect((await first.getOrCompute('q', async () => 'a')).status).toBe('miss');
    expect((await second.getOrCompute('q', async () => 'b')).status).toBe('hit');
    await first.flushStats();
    await second.flushStats();
    const totals = statsByNamespace(await open({ keyPrefix }).stats.read()).total;
    expect(totals).toMatchObject({ hits: 1, misses: 1, savedUsd: 0.001 });
  });

  it('locks across stores and wakes a waiter through pub/sub', async () => {
    const keyPrefix = `cluster-lock-${run++}:`;
    const holder = open({ keyPrefix });
    const waiter = open({ keyPrefix, lockPollMs: 120_000 }); // only the release message can wake it in time
    const handle = await holder.lock.acquire('q', 30_000);
    expect(handle).not.toBeNull();
    expect(await waiter.lock.acquire('q', 30_000)).toBeNull();
    const waiting = waiter.lock.waitForRelease('q', 120_000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the waiter subscribe
    await handle!.release();
    await waiting;
    expect(await waiter.lock.acquire('q', 30_000)).not.toBeNull();
  });

  it('uses a Cluster client passed in, without closing it', async () => {
    const client = new Cluster(cluster.nodes);
    const store = createRedisStore({
      client,
      keyPrefix: `cluster-client-${run++}:`,
      commandTimeoutMs: RELAXED_TIMEOUT_MS,
    });
    await store.set('k', entry('v'));
    expect((await store.get('k'))?.value).toBe('v');
    expect(await store.clear()).toBe(1);
    await store.close();
    expect(client.status).toBe('ready');
    await client.quit();
  });
});
