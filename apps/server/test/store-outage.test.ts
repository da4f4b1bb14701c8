import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Gateway, StatsView } from '../src/index.js';
import { converseBody, startTestGateway } from './helpers.js';

const MODEL_PATH = encodeURIComponent('amazon.nova-lite-v1:0');

describeWithRedis('a paused Redis, as operators see it', () => {
  let server: RedisServerHandle;
  let gateway: Gateway;

  beforeAll(async () => {
    server = await startRedisServer();
    gateway = await startTestGateway({ cacheType: 'redis', redisUrl: server.url, redisTimeoutMs: 200 });
  });

  afterAll(async () => {
    server?.resume();
    await gateway?.close();
    await server?.stop();
  });

  const stats = async (): Promise<StatsView> =>
    (await fetch(`${gateway.url}/v1/stats`)).json() as Promise<StatsView>;

  it('answers every request, and /v1/stats and /metrics count the store errors by kind and show the breaker', async () => {
    const before = await stats();
    expect(before.storeErrors).toEqual({ timeout: 0, unavailable: 0, skipped: 0, corrupt: 0, other: 0 });
    expect(before.storeBreaker).toBe('closed');

    server.pause();
    const statuses: number[] = [];
    for (let index = 0; index < 10; index += 1) {
      const answer = await fetch(`${gateway.url}/model/${MODEL_PATH}/converse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(converseBody(`During the outage ${index % 2}`)),
      });
      statuses.push(answer.status);
      await answer.arrayBuffer();
    }
    expect(statuses).toEqual(Array(10).fill(200));

    const during = await stats();
    expect(during.storeErrors.timeout).toBeGreaterThanOrEqual(1);
    expect(during.storeErrors.skipped).toBeGreaterThanOrEqual(9);
    expect(during.storeBreaker).toBe('open');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^prompt_cache_store_errors_total\{kind="timeout"\} [1-9]/m);
    expect(metrics).toMatch(/^prompt_cache_store_errors_total\{kind="skipped"\} [1-9]/m);
    expect(metrics).toMatch(/^prompt_cache_store_breaker_open 1$/m);
  });
});
