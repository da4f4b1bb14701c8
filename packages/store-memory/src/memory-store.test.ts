import { createPromptCache } from '@prompt-cache/core';
import { createFakeClock, describeStoreContract } from '@prompt-cache/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';

describeStoreContract('memory', {
  create: ({ clock }) => createMemoryStore({ clock }),
  capabilities: ['keys', 'size', 'prune', 'onEvict'],
  createBounded: ({ clock, maxEntries }) => createMemoryStore({ clock, maxEntries }),
});

describe('createMemoryStore', () => {
  it('evicts the least recently used entry at maxEntries and reports it in the stats', async () => {
    const store = createMemoryStore({ maxEntries: 2 });
    const cache = createPromptCache<string, string>({ store });
    await cache.getOrCompute('a', async () => 'A');
    await cache.getOrCompute('b', async () => 'B');
    await cache.getOrCompute('a', async () => 'A'); // touch a, so b is the oldest
    await cache.getOrCompute('c', async () => 'C');
    expect(cache.stats.snapshot().evictions).toBe(1);
    expect((await cache.getOrCompute('a', async () => 'recomputed')).status).toBe('hit');
    expect((await cache.getOrCompute('b', async () => 'B again')).status).toBe('miss');
  });

  it('keeps the byte total under maxBytes', async () => {
    const store = createMemoryStore({ maxBytes: 2_500 });
    const cache = createPromptCache<number, string>({ store });
    for (let index = 0; index < 10; index++) await cache.getOrCompute(index, async () => 'x'.repeat(1_000));
    const size = await store.size!();
    expect(size.bytes).toBeLessThanOrEqual(2_500);
    expect(size.entries).toBe(2);
    expect(cache.stats.snapshot().evictions).toBe(8);
  });

  it('expires entries by the injected clock', async () => {
    const clock = createFakeClock();
    const cache = createPromptCache<string, string>({
      store: createMemoryStore({ clock }),
      clock,
      ttlSeconds: 10,
    });
    await cache.getOrCompute('q', async () => 'first');
    clock.advance(9_999);
    expect((await cache.getOrCompute('q', async () => 'second')).value).toBe('first');
    clock.advance(1);
    expect((await cache.getOrCompute('q', async () => 'second')).value).toBe('second');
  });

  it('keeps a frozen copy: later changes to the entry given to set() do not reach it, and hits cannot change it', async () => {
    const store = createMemoryStore();
    const meta = { model: 'm', usage: { inputTokens: 1, outputTokens: 2 } };
    const entry = { version: 1, value: '"v"', createdAt: 1, expiresAt: null, meta, decoded: { text: 'v' } };
    await store.set('k', entry);
    entry.value = '"changed"';
    meta.model = 'changed';
    const kept = (await store.get('k'))!;
    expect(kept).toEqual({ ...entry, value: '"v"', meta: { ...meta, model: 'm' } });
    expect(Object.isFrozen(kept) && Object.isFrozen(kept.meta) && Object.isFrozen(kept.decoded)).toBe(true);
    expect(() => {
      (kept.meta as { model: string }).model = 'x';
    }).toThrow(TypeError);
  });

  it('rejects nonsensical limits with a clear message', () => {
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(/maxEntries must be a whole number >= 1/);
    expect(() => createMemoryStore({ maxBytes: -5 })).toThrow(/maxBytes must be a whole number >= 1/);
  });
});
