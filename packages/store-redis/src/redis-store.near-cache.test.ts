import { type CacheEntry, InvalidOptionError } from '@prompt-cache/core';
import { ENTRY_SCHEMA_VERSION, serializeEntry } from '@prompt-cache/core/store-kit';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { RELAXED_TIMEOUT_MS } from '../test/timeouts.js';
import { createRedisStore, type RedisStore } from './index.js';

const entry = (value: string, expiresAt: number | null = null): CacheEntry => ({
  version: ENTRY_SCHEMA_VERSION,
  value,
  createdAt: 1_000,
  expiresAt,
  meta: {},
});

describeWithRedis('createRedisStore with nearCache', () => {
  let server: RedisServerHandle;
  let admin: Redis;
  const stores: RedisStore[] = [];
  const open = (keyPrefix: string, clock = { now: () => 2_000 }) => {
    const store = createRedisStore({
      url: server.url,
      keyPrefix,
      nearCache: true,
      commandTimeoutMs: RELAXED_TIMEOUT_MS,
      clock,
    });
    stores.push(store);
    return store;
  };
  /** GETs and MGETs the server has answered so far: a read served from memory adds none. */
  const reads = async () => {
    const stats = await admin.info('commandstats');
    const calls = (command: string) =>
      Number(stats.match(new RegExp(`cmdstat_${command}:calls=(\\d+)`))?.[1] ?? 0);
    return calls('get') + calls('mget');
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });

  it('answers a repeated read from memory, and a write in another process reaches it', async () => {
    const writer = open('near-a:');
    const reader = open('near-a:');
    await reader.nearCache!.whenActive();
    await writer.set('k', entry('first'));
    expect((await reader.get('k'))?.value).toBe('first');
    const before = await reads();
    expect((await reader.get('k'))?.value).toBe('first');
    expect((await reader.get('k'))?.value).toBe('first');
    expect(await reads()).toBe(before);
    expect(reader.nearCache!.entries).toBe(1);

    await writer.set('k', entry('second'));
    await reader.nearCache!.sync();
    expect((await reader.get('k'))?.value).toBe('second');
    await writer.delete('k');
    await reader.nearCache!.sync();
    expect(await reader.get('k')).toBeUndefined();
  });

  it('forgets everything on FLUSHALL, and an entry past its expiry is a miss', async () => {
    let now = 2_000;
    const reader = open('near-b:', { now: () => now });
    await reader.nearCache!.whenActive();
    await reader.set('short', entry('brief', 5_000));
    await reader.set('long', entry('kept'));
    await reader.get('short');
    await reader.get('long');
    expect(reader.nearCache!.entries).toBe(2);
    now = 6_000;
    expect(await reader.get('short')).toBeUndefined();
    await admin.flushall();
    await reader.nearCache!.sync();
    expect(reader.nearCache!.entries).toBe(0);
    expect(await reader.get('long')).toBeUndefined();
  });

  it('serves nothing from memory once its invalidation connection is gone, and tracks again after', async () => {
    const reader = open('near-c:');
    await reader.nearCache!.whenActive();
    await reader.set('k', entry('one'));
    await reader.get('k');
    expect(reader.nearCache!.entries).toBe(1);
    // The listener is the client subscribed to the invalidation channel.
    const clients = await admin.client('LIST');
    const listenerId = /id=(\d+) [^\n]*cmd=(?:subscribe|ping)/.exec(String(clients))?.[1];
    expect(listenerId).toBeDefined();
    await admin.client('KILL', 'ID', listenerId!);
    await expect.poll(() => reader.nearCache!.active).toBe(false);
    expect(reader.nearCache!.entries).toBe(0);
    // A change made while nobody listens is read from Redis, never answered from memory.
    await admin.set('near-c:entry:k', serializeEntry(entry('two')));
    expect((await reader.get('k'))?.value).toBe('two');
    await reader.nearCache!.whenActive();
    expect((await reader.get('k'))?.value).toBe('two');
    const before = await reads();
    expect((await reader.get('k'))?.value).toBe('two');
    expect(await reads()).toBe(before);
  });

  it('refuses nearCache with a client passed in, and a bad size', () => {
    expect(() => createRedisStore({ client: admin, nearCache: true })).toThrow(InvalidOptionError);
    expect(() => createRedisStore({ url: server.url, nearCache: { maxBytes: -1 } })).toThrow(
      /nearCache must be true, false or \{ maxBytes/,
    );
  });
});
