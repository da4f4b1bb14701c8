import { type CacheEntry, createPromptCache } from '@prompt-cache/core';
import { ENTRY_SCHEMA_VERSION, StoreUnavailableError, statsByNamespace } from '@prompt-cache/core/store-kit';
import { findFreePort, type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, afterEach, beforeEach, expect, it, type MockInstance, vi } from 'vitest';
import { RELAXED_TIMEOUT_MS } from '../test/timeouts.js';
import { createRedisStore, type RedisStore, type RedisStoreOptions } from './index.js';

const entry = (value: string): CacheEntry => ({
  version: ENTRY_SCHEMA_VERSION,
  value,
  createdAt: Date.now(),
  expiresAt: null,
  meta: {},
});
const PAUSED_TIMEOUT_MS = 300;
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describeWithRedis('createRedisStore when Redis fails', () => {
  const servers: RedisServerHandle[] = [];
  const stores: RedisStore[] = [];
  let consoleError: MockInstance;
  const start = async (options: Parameters<typeof startRedisServer>[0] = {}) => {
    const server = await startRedisServer(options);
    servers.push(server);
    return server;
  };
  const open = (options: RedisStoreOptions) => {
    // A healthy server gets the relaxed timeout; the paused-server tests pass their short one (PAUSED_TIMEOUT_MS).
    const store = createRedisStore({ commandTimeoutMs: RELAXED_TIMEOUT_MS, ...options });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    consoleError = vi.spyOn(console, 'error');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    // ioredis prints "[ioredis] Unhandled error event" when nobody listens: the store always listens.
    expect(consoleError.mock.calls.flat().join('\n')).not.toMatch(/Unhandled error event/);
    consoleError.mockRestore();
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('names the URL and the fix in one line when nothing listens there', async () => {
    const port = await findFreePort();
    const store = open({ url: `redis://127.0.0.1:${port}` });
    const failure = await store.get('k').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as StoreUnavailableError).code).toBe('STORE_UNAVAILABLE');
    expect((failure as Error).message).toBe(
      `[store-redis] cannot reach redis://127.0.0.1:${port} (ECONNREFUSED); is redis-server running?`,
    );
    // Later calls, while the store keeps reconnecting in the background, fail just as fast and as clearly.
    await expect(store.set('k', entry('v'))).rejects.toThrow(
      `cannot reach redis://127.0.0.1:${port} (ECONNREFUSED)`,
    );
    await expect(store.ping()).rejects.toThrow(/is redis-server running\?$/);
  });

  it('answers all 200 requests of a run in which Redis is killed, counts the errors, and hits again once it is back', async () => {
    const server = await start();
    const store = open({ url: server.url, keyPrefix: 'outage:' });
    const cache = createPromptCache<string, string>({ store });
    const results: string[] = [];
    for (let index = 0; index < 200; index++) {
      if (index === 50) server.kill();
      const result = await cache.getOrCompute(`q${index % 5}`, async () => `answer ${index % 5}`);
      results.push(result.value);
    }
    expect(results).toEqual(Array.from({ length: 200 }, (_, index) => `answer ${index % 5}`));
    const during = cache.stats.snapshot();
    expect(during.errors).toBeGreaterThan(0);
    expect(during.hits).toBeGreaterThan(0); // before the outage

    await server.restart(); // same port, empty (no persistence)
    let status = '';
    for (let attempt = 0; attempt < 100 && status !== 'hit'; attempt++) {
      status = (await cache.getOrCompute('after the outage', async () => 'back')).status;
      if (status !== 'hit') await pause(50);
    }
    expect(status).toBe('hit');
  });

  it('rejects within commandTimeoutMs while the server is paused, and recovers when it resumes', async () => {
    const server = await start();
    const store = open({ url: server.url, keyPrefix: 'paused:', commandTimeoutMs: PAUSED_TIMEOUT_MS });
    await store.set('k', entry('v'));
    server.pause();
    try {
      const failure = await store.get('k').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect(failure).toMatchObject({ code: 'STORE_TIMEOUT' });
      expect((failure as Error).message).toBe(
        `[store-redis] ${server.url} did not answer within 300 ms; is the server paused or overloaded? (raise commandTimeoutMs if it is only slow)`,
      );
      // The cache answers anyway.
      const cache = createPromptCache<string, string>({ store, lock: false });
      expect((await cache.getOrCompute('q', async () => 'computed')).value).toBe('computed');
    } finally {
      server.resume();
    }
    // The circuit breaker skips Redis until a probe answers (in the background, or this one).
    expect(await store.breaker.probe()).toBe('closed');
    expect((await store.get('k'))?.value).toBe('v');
  });

  it('also bounds the first connection to a paused server', async () => {
    const server = await start();
    server.pause();
    try {
      const store = open({
        url: server.url,
        keyPrefix: 'paused-start:',
        commandTimeoutMs: PAUSED_TIMEOUT_MS,
      });
      await expect(store.get('k')).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
    } finally {
      server.resume();
    }
  });

  it('works with the right password and says so clearly with a wrong one', async () => {
    const server = await start({ password: 's3cret' });
    const good = open({ url: `redis://:s3cret@127.0.0.1:${server.port}`, keyPrefix: 'auth:' });
    await good.set('k', entry('v'));
    expect((await good.get('k'))?.value).toBe('v');
    const alsoGood = open({ url: server.url, password: 's3cret', keyPrefix: 'auth:' });
    expect((await alsoGood.get('k'))?.value).toBe('v');

    const wrong = open({ url: server.url, password: 'nope', keyPrefix: 'auth:' });
    await expect(wrong.get('k')).rejects.toThrow(
      `[store-redis] ${server.url} refused the credentials (WRONGPASS); check username and password`,
    );
    const missing = open({ url: server.url, keyPrefix: 'auth:' });
    await expect(missing.get('k')).rejects.toThrow(
      /refused the credentials \(NOAUTH\); check username and password/,
    );
  });

  it('works as a least-privilege ACL user and reports wrong credentials clearly', async () => {
    const server = await start({
      aclUser: {
        name: 'cache',
        password: 'pw',
        rules: [
          '~acl:*',
          '&acl:*',
          '+get',
          '+mget',
          '+set',
          '+unlink',
          '+exists',
          '+scan',
          '+strlen',
          '+hgetall',
          '+hincrby',
          '+hincrbyfloat',
          '+eval',
          '+del',
          '+publish',
          '+subscribe',
          '+ping',
          '+info',
        ],
      },
    });
    const store = open({ url: server.url, username: 'cache', password: 'pw', keyPrefix: 'acl:' });
    const cache = createPromptCache<string, string>({ store });
    expect((await cache.getOrCompute('q', async () => 'a')).status).toBe('miss');
    expect((await cache.getOrCompute('q', async () => 'b')).status).toBe('hit');
    await store.lock.waitForRelease('nothing-held', 1_000);
    expect(await store.clear()).toBe(1);
    expect((await store.size()).entries).toBe(0);
    expect(cache.stats.snapshot().errors).toBe(0);
    await cache.flushStats();
    expect(statsByNamespace(await store.stats.read()).total.hits).toBe(1);

    const outside = open({ url: server.url, username: 'cache', password: 'pw', keyPrefix: 'other:' });
    await expect(outside.get('k')).rejects.toThrow(
      /denied a command \(NOPERM .*\); grant the store's user the commands/,
    );

    const wrong = open({ url: `redis://cache:wrong@127.0.0.1:${server.port}`, keyPrefix: 'acl:' });
    await expect(wrong.get('k')).rejects.toThrow(/refused the credentials \(WRONGPASS\)/);
  });
});
