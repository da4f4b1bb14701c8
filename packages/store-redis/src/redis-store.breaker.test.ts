import { type CacheEntry, createPromptCache } from '@prompt-cache/core';
import { ENTRY_SCHEMA_VERSION } from '@prompt-cache/core/store-kit';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, expect, it, vi } from 'vitest';
import { BreakerOpenError, createRedisStore, type RedisStore } from './index.js';

const entry = (value: string): CacheEntry => ({
  version: ENTRY_SCHEMA_VERSION,
  value,
  createdAt: Date.now(),
  expiresAt: null,
  meta: {},
});

describeWithRedis('the circuit breaker of createRedisStore', () => {
  const servers: RedisServerHandle[] = [];
  const stores: RedisStore[] = [];
  afterAll(async () => {
    for (const server of servers) server.resume();
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('while Redis is paused, only the first call waits a command timeout; the rest skip it, and 0 requests fail', async () => {
    const server = await startRedisServer();
    servers.push(server);
    // A long back-off: no background probe runs during the test; the test probes itself.
    const store = createRedisStore({
      url: server.url,
      keyPrefix: 'breaker:',
      commandTimeoutMs: 200,
      breakerBackoffMs: 600_000,
    });
    stores.push(store);
    const cache = createPromptCache<string, string>({ store });
    expect((await cache.getOrCompute('warm', async () => 'up')).status).toBe('miss');
    expect(store.breaker.snapshot()).toMatchObject({ state: 'closed', failures: 0, skipped: 0 });

    server.pause();
    const answers: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      answers.push(
        (await cache.getOrCompute(`question ${index % 3}`, async () => `answer ${index % 3}`)).value,
      );
    }
    expect(answers).toEqual(Array.from({ length: 30 }, (_, index) => `answer ${index % 3}`));
    const during = store.breaker.snapshot();
    expect(during).toMatchObject({ state: 'open', opened: 1 });
    // Only the command that found Redis paused waited; every later one was skipped without a round trip.
    expect(during.failures).toBe(1);
    expect(during.skipped).toBeGreaterThanOrEqual(30);
    await expect(store.get('anything')).rejects.toBeInstanceOf(BreakerOpenError);

    // A probe while Redis is still paused fails, and the breaker stays open.
    expect(await store.breaker.probe()).toBe('open');
    expect(store.breaker.snapshot()).toMatchObject({ state: 'open', probes: 1, failedProbes: 1 });

    server.resume();
    expect(await store.breaker.probe()).toBe('closed');
    await store.set('after', entry('back'));
    expect((await store.get('after'))?.value).toBe('back');
    expect(store.breaker.snapshot()).toMatchObject({ state: 'closed', lastError: null });
  });

  it('probes in the background and closes by itself once Redis answers', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const store = createRedisStore({
      url: server.url,
      keyPrefix: 'breaker-bg:',
      commandTimeoutMs: 200,
      breakerBackoffMs: 50,
    });
    stores.push(store);
    await store.set('k', entry('v'));
    server.pause();
    await expect(store.get('k')).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
    expect(store.breaker.snapshot().state).toBe('open');
    server.resume();
    await vi.waitFor(() => expect(store.breaker.snapshot().state).toBe('closed'), { timeout: 10_000 });
    expect((await store.get('k'))?.value).toBe('v');
  });

  it('can be turned off', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const store = createRedisStore({
      url: server.url,
      keyPrefix: 'breaker-off:',
      commandTimeoutMs: 200,
      breakerBackoffMs: 0,
    });
    stores.push(store);
    server.pause();
    try {
      await expect(store.get('k')).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
      await expect(store.get('k')).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
      expect(store.breaker.snapshot()).toMatchObject({ state: 'closed', skipped: 0 });
    } finally {
      server.resume();
    }
  });
});
