import { findFreePort } from '@prompt-cache/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway, StatsView } from '../src/index.js';
import { converseBody, startTestGateway } from './helpers.js';

const MODEL_PATH = encodeURIComponent('amazon.nova-lite-v1:0');

describe('a gateway whose Redis cannot be reached', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    // A free port with nothing listening: the Redis server is down.
    const port = await findFreePort();
    gateway = await startTestGateway({ cacheType: 'redis', redisUrl: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('says so at start, still answers, counts the errors and shows the state in /v1/stats', async () => {
    const warnings = gateway.notices.filter((notice) => notice.includes('unreachable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^store: .*unreachable.*uncached/);
    const answer = await fetch(`${gateway.url}/model/${MODEL_PATH}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(converseBody('Is the store up? (store down)')),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-prompt-cache')).toBe('miss');
    const stats = (await (await fetch(`${gateway.url}/v1/stats`)).json()) as StatsView;
    expect(stats.storeState).toMatchObject({ state: 'unreachable', message: expect.any(String) });
    expect(stats.storeState.errors).toBeGreaterThan(0);
  });
});
