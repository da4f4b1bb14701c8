import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keyvTestSuite from '@keyv/test-suite';
import type { CacheStore } from '@prompt-cache/core';
import { createFileStore } from '@prompt-cache/store-file';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { createRedisStore } from '@prompt-cache/store-redis';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import Keyv from 'keyv';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyvStoreAdapter } from './keyv-store-adapter.js';

/** Keyv's own published suite: each Keyv gets an adapter of its own over one prompt-cache store they all share. */
function keyvSuite(backend: () => CacheStore): void {
  let shared: CacheStore | undefined;
  const store = () => {
    shared ??= backend();
    return new KeyvStoreAdapter(shared);
  };
  keyvTestSuite(vitest, Keyv, store); // its API, value and namespace tests
}

describe('KeyvStoreAdapter over the memory store (@keyv/test-suite)', () => {
  keyvSuite(() => createMemoryStore());
});

describe('KeyvStoreAdapter over the file store (@keyv/test-suite)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'prompt-cache-keyv-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  keyvSuite(() => createFileStore({ directory }));
});

describeWithRedis('KeyvStoreAdapter over the Redis store (@keyv/test-suite)', () => {
  let server: RedisServerHandle;
  let redisStore: CacheStore | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await redisStore?.close?.();
    await server.stop();
  });
  keyvSuite(() => {
    redisStore = createRedisStore({ url: server.url });
    return redisStore;
  });
});

describe('KeyvStoreAdapter', () => {
  it('keeps objects when Keyv hands them over unserialized, and expires by its clock', async () => {
    let now = 1_000;
    const clock = { now: () => now };
    const keyv = new Keyv({
      store: new KeyvStoreAdapter(createMemoryStore({ clock }), { clock }),
      serialize: undefined,
      deserialize: undefined,
    });
    await keyv.set('object', { answer: 42, list: [1, 'two'] });
    expect(await keyv.get('object')).toEqual({ answer: 42, list: [1, 'two'] });
    const adapter = keyv.store as KeyvStoreAdapter;
    await adapter.set('keyv:short', 'brief', 500);
    now += 499;
    expect(await adapter.get('keyv:short')).toBe('brief');
    now += 1;
    expect(await adapter.get('keyv:short')).toBeUndefined();
  });

  it('clears only its own namespace', async () => {
    const shared = createMemoryStore();
    const first = new Keyv({ store: new KeyvStoreAdapter(shared), namespace: 'first' });
    const second = new Keyv({ store: new KeyvStoreAdapter(shared), namespace: 'second' });
    await first.set('k', 'one');
    await second.set('k', 'two');
    await first.clear();
    expect(await first.get('k')).toBeUndefined();
    expect(await second.get('k')).toBe('two');
  });

  it('refuses something that is not a prompt-cache store', () => {
    expect(() => new KeyvStoreAdapter({} as CacheStore)).toThrow(/needs a prompt-cache store/);
  });
});
