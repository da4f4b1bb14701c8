import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../src/index.js';
import { converseBody, startTestGateway } from './helpers.js';

const MODEL_PATH = encodeURIComponent('amazon.nova-lite-v1:0');

function converse(gateway: Gateway, prompt: string): Promise<Response> {
  return fetch(`${gateway.url}/model/${MODEL_PATH}/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(converseBody(prompt)),
  });
}

describe('the file store', () => {
  const directory = mkdtempSync(join(tmpdir(), 'gateway-file-store-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps entries across gateway restarts, lists and clears them', async () => {
    const first = await startTestGateway({ cacheType: 'file', cacheDir: directory });
    try {
      expect(first.storeLabel).toBe(`file cache in ${directory}`);
      expect((await converse(first, 'Persistent (stores file)')).headers.get('x-prompt-cache')).toBe('miss');
    } finally {
      await first.close();
    }
    const second = await startTestGateway({ cacheType: 'file', cacheDir: directory });
    try {
      expect((await converse(second, 'Persistent (stores file)')).headers.get('x-prompt-cache')).toBe('hit');
      const listing = (await (await fetch(`${second.url}/v1/entries`)).json()) as { entries: unknown[] };
      expect(listing.entries).toHaveLength(1);
      const stats = (await (await fetch(`${second.url}/v1/stats?namespace=prompt-cache`)).json()) as {
        entries: number;
        hits: number;
      };
      expect(stats).toMatchObject({ entries: 1, hits: 1 });
      const cleared = await fetch(`${second.url}/v1/cache`, { method: 'DELETE' });
      expect(await cleared.json()).toMatchObject({ removed: 1 });
      expect((await converse(second, 'Persistent (stores file)')).headers.get('x-prompt-cache')).toBe('miss');
    } finally {
      await second.close();
    }
  });
});

describeWithRedis('the Redis store (a redis-server of the test, on a free port)', () => {
  let server: RedisServerHandle;
  let one: Gateway;
  let two: Gateway;

  beforeAll(async () => {
    server = await startRedisServer();
    one = await startTestGateway({ cacheType: 'redis', redisUrl: server.url, redisTimeoutMs: 5_000 });
    two = await startTestGateway({ cacheType: 'redis', redisUrl: server.url, redisTimeoutMs: 5_000 });
  });

  afterAll(async () => {
    await one?.close();
    await two?.close();
    await server?.stop();
  });

  it('two gateways share entries through Redis', async () => {
    expect((await converse(one, 'Shared fleet (stores redis)')).headers.get('x-prompt-cache')).toBe('miss');
    expect((await converse(two, 'Shared fleet (stores redis)')).headers.get('x-prompt-cache')).toBe('hit');
    const health = await fetch(`${two.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: `redis cache at ${server.url}` });
  });

  it('a Redis outage: /healthz says 503 with the reason, and calls are still answered (fail open)', async () => {
    // A redis-server of its own to kill: vitest shuffles tests under CI, and the other test needs its server.
    const doomed = await startRedisServer();
    const gateway = await startTestGateway({
      cacheType: 'redis',
      redisUrl: doomed.url,
      redisTimeoutMs: 5_000,
    });
    try {
      await doomed.kill();
      const health = await fetch(`${gateway.url}/healthz`);
      expect(health.status).toBe(503);
      const body = (await health.json()) as { status: string; reason: string };
      expect(body.status).toBe('unavailable');
      expect(body.reason).toMatch(/redis/i);
      const answer = await converse(gateway, 'During the outage (stores redis)');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-prompt-cache')).toBe('miss');
    } finally {
      await gateway.close();
      await doomed.stop();
    }
  });
});
