// Found by `pnpm soak --chaos`: after Redis was paused, a caller waited 30 s (lockWaitMs) for a single-flight lock
// that nobody held any more: its holder could not release it while Redis was paused, or took it with a SET NX that
// timed out here but ran in Redis once it was resumed.
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { BreakerOpenError, createRedisStore, type RedisStore } from './index.js';

describeWithRedis('a lock left behind by a Redis pause', () => {
  let server: RedisServerHandle;
  let store: RedisStore;
  beforeAll(async () => {
    server = await startRedisServer();
    // The test probes the breaker itself: no background probe runs. The timeout is short because a paused server is
    // the point, yet long enough for a healthy one on a loaded machine; the connection is made before any test.
    store = createRedisStore({
      url: server.url,
      keyPrefix: 'orphans:',
      commandTimeoutMs: 1_000,
      breakerBackoffMs: 600_000,
      lockPollMs: 20,
    });
    if (store.client.status !== 'ready') await new Promise((ready) => store.client.once('ready', ready));
  });
  afterAll(async () => {
    server?.resume();
    await store?.close();
    await server?.stop();
  });

  /** Redis back and the breaker closed; then waits (at most 5 s) for the lock as another caller would. */
  const lockAfterResume = async (key: string) => {
    server.resume();
    // A resumed server first works through what was sent while it was paused: probe until it answers in time.
    await vi.waitFor(async () => expect(await store.breaker.probe()).toBe('closed'), {
      timeout: 10_000,
      interval: 50,
    });
    await store.lock.waitForRelease(key, 5_000);
    return store.client.exists(`orphans:lock:${key}`);
  };

  it('is released once Redis answers, when its release was skipped while Redis was paused', async () => {
    const handle = await store.lock.acquire('released during the pause', 60_000);
    expect(handle).not.toBeNull();
    server.pause();
    // Another command finds Redis paused and opens the breaker; the release is then skipped, never sent.
    await expect(store.get('anything')).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
    await expect(handle!.release()).rejects.toBeInstanceOf(BreakerOpenError);
    expect(await lockAfterResume('released during the pause')).toBe(0);
  });

  it('is released once Redis answers, when the SET NX that took it timed out', async () => {
    server.pause();
    await expect(store.lock.acquire('taken during the pause', 60_000)).rejects.toMatchObject({
      code: 'STORE_TIMEOUT',
    });
    expect(await lockAfterResume('taken during the pause')).toBe(0);
  });
});
