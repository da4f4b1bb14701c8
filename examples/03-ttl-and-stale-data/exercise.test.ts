import { createPromptCache } from '@prompt-cache/core';
import { createFakeClock } from '@prompt-cache/core/testing';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { describe, expect, it } from 'vitest';
import { solution } from '../solution-switch.ts';

const { ttlFor } = await solution<typeof import('./exercise.ts')>('03-ttl-and-stale-data', import.meta.url);

describe('exercise 3: your TTL strategy', () => {
  it.each([
    ['What is the status of the deploy today?', 15 * 60],
    ['latest news about Bedrock', 15 * 60],
    ['Define idempotency', 24 * 3600],
    ['What does TTL mean?', 24 * 3600],
    ['What is 6 * 7?', 0],
    ['(12 + 30) / 2 =', 0],
    ['Explain how LRU eviction works', 2 * 3600],
  ])('%s -> %d s', (prompt, seconds) => {
    expect(ttlFor(prompt)).toBe(seconds);
  });

  it('works as a per-call TTL: the status answer expires, the arithmetic never does', async () => {
    const clock = createFakeClock();
    const cache = createPromptCache<string, string>({ store: createMemoryStore({ clock }), clock });
    const ask = (prompt: string) =>
      cache.getOrCompute(prompt, async () => `answer to ${prompt}`, { ttlSeconds: ttlFor(prompt) });
    await ask('What is the status now?');
    await ask('What is 2 + 2?');
    clock.advance(16 * 60 * 1000);
    expect((await ask('What is the status now?')).status).toBe('miss');
    clock.advance(365 * 24 * 3600 * 1000);
    expect((await ask('What is 2 + 2?')).status).toBe('hit');
  });
});
