import { randomBytes } from 'node:crypto';
import { createPromptCache } from '@prompt-cache/core';
import { tamperWithStoredValue } from '@prompt-cache/core/testing';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RELAXED_TIMEOUT_MS } from '../test/timeouts.js';
import { createRedisStore } from './index.js';

describeWithRedis('createRedisStore with encryption: ciphertext tampered in Redis', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  it('a valid checksum over a changed ciphertext is a miss and a counted error, never a wrong answer', async () => {
    const store = createRedisStore({
      url: server.url,
      keyPrefix: 'tampered:',
      commandTimeoutMs: RELAXED_TIMEOUT_MS,
    });
    const cache = createPromptCache<string, string>({ store, encryption: { keys: { k1: randomBytes(32) } } });
    try {
      expect((await cache.getOrCompute('q', async () => 'the secret answer')).stored).toBe(true);
      const redisKey = `tampered:entry:${cache.keyFor('q')}`;
      const raw = await store.client.getBuffer(redisKey);
      expect(raw).not.toBeNull();
      await store.client.set(redisKey, tamperWithStoredValue(raw!), 'KEEPTTL');

      const result = await cache.getOrCompute('q', async () => 'computed again');
      expect(result).toMatchObject({ status: 'miss', value: 'computed again' });
      expect(cache.stats.snapshot().errors).toBe(1);
    } finally {
      await cache.close();
    }
  });
});
