import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStore, createStoreFromOptions, describeStore } from './store-from-options.js';

describe('createStoreFromOptions', () => {
  const directory = mkdtempSync(join(tmpdir(), 'app-kit-store-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('creates a memory store', async () => {
    const store = createStoreFromOptions({ cacheType: 'memory' });
    expect(store.name).toBe('memory');
    expect(describeStore(store)).toEqual({
      cacheType: 'memory',
      location: 'in this process',
      persistent: false,
      shared: false,
    });
    await checkStore(store);
  });

  it('creates a file store in the given directory', () => {
    const store = createStoreFromOptions({ cacheType: 'FILE', cacheDir: directory });
    expect(describeStore(store)).toMatchObject({ cacheType: 'file', location: directory, persistent: true });
  });

  it('refuses an unknown cache type with one line', () => {
    expect(() => createStoreFromOptions({ cacheType: 'disk' })).toThrow(
      /^\[app-kit\] unknown cache type "disk" \(cacheType\); use one of: memory, file, redis$/,
    );
  });

  it('refuses a URL that is not redis://', () => {
    expect(() => createStoreFromOptions({ cacheType: 'redis', redisUrl: 'http://localhost' })).toThrow(
      /must start with redis:\/\//,
    );
  });

  it('creates a Redis store lazily; checkStore names an unreachable server', async () => {
    const port = await findFreePort();
    const store = createStoreFromOptions({ cacheType: 'redis', redisUrl: `redis://127.0.0.1:${port}` });
    expect(describeStore(store)).toMatchObject({ cacheType: 'redis', location: `redis://127.0.0.1:${port}` });
    await expect(checkStore(store)).rejects.toThrow(`cannot reach redis://127.0.0.1:${port}`);
    await store.close?.();
  });
});

describeWithRedis('createStoreFromOptions with a running Redis', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  it('answers PING and keeps shared stats', async () => {
    const store = createStoreFromOptions({ cacheType: 'redis', redisUrl: server.url, redisTimeoutMs: 5_000 });
    await checkStore(store);
    expect(store.stats).toBeDefined();
    await store.close?.();
  });
});
