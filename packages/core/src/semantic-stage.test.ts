import { describe, expect, it } from 'vitest';
import type { CacheEntry } from './entry.js';
import { createPromptCache } from './prompt-cache.js';
import type { SemanticStage } from './semantic-stage.js';
import type { CacheStore } from './store.js';

function mapStore(): CacheStore {
  const map = new Map<string, CacheEntry>();
  return {
    name: 'map',
    get: async (key) => map.get(key),
    set: async (key, entry) => void map.set(key, entry),
    delete: async (key) => map.delete(key),
    clear: async () => {
      const size = map.size;
      map.clear();
      return size;
    },
  };
}

/** A stage that serves the last remembered key for any prompt, and records what it was asked. */
function lastKeyStage() {
  const calls = { lookups: 0, remembered: [] as string[] };
  let fail = false;
  const stage: SemanticStage<string> = {
    async lookup(_request, _key, read) {
      calls.lookups++;
      if (fail) throw new Error('embedder down');
      const key = calls.remembered.at(-1);
      const entry = key ? await read(key) : undefined;
      return key && entry ? { key, entry, similarity: 0.9, matchedPrompt: 'the first prompt' } : undefined;
    },
    remember(_request, key) {
      calls.remembered.push(key);
    },
  };
  const breakIt = () => {
    fail = true;
  };
  return { stage, calls, breakIt };
}

describe('the semantic stage seam', () => {
  it('runs after an exact miss only, counts its hits apart, and learns what was stored', async () => {
    const { stage, calls } = lastKeyStage();
    const cache = createPromptCache<string, string>({ store: mapStore(), semantic: stage });
    const first = await cache.getOrCompute('first', async () => 'answer one');
    expect(calls.remembered).toEqual([first.key]);
    expect((await cache.getOrCompute('first', async () => 'unused')).status).toBe('hit');
    expect(calls.lookups).toBe(1); // the first call's miss; the exact hit never reached the stage
    const paraphrase = await cache.getOrCompute('second', async () => 'answer two');
    expect(paraphrase).toMatchObject({ status: 'hit', value: 'answer one' });
    expect(paraphrase.semantic).toEqual({
      similarity: 0.9,
      matchedKey: first.key,
      matchedPrompt: 'the first prompt',
    });
    expect(cache.stats.snapshot()).toMatchObject({ hits: 2, semanticHits: 1, semanticSimilarity: 0.9 });
    expect((await cache.getOrCompute('third', async () => 'answer three', { semantic: false })).status).toBe(
      'miss',
    );
    expect(calls.lookups).toBe(2);
  });

  it('a stage that fails leaves the call exact-only: counted, never an error', async () => {
    const { stage, breakIt } = lastKeyStage();
    const cache = createPromptCache<string, string>({ store: mapStore(), semantic: stage });
    await cache.getOrCompute('first', async () => 'answer one');
    breakIt();
    const result = await cache.getOrCompute('second', async () => 'answer two');
    expect(result).toMatchObject({ status: 'miss', value: 'answer two' });
    expect(cache.stats.snapshot()).toMatchObject({ errors: 1, semanticHits: 0 });
  });

  it('close() saves and releases the stage before the store closes; a failing stage close is counted', async () => {
    const order: string[] = [];
    const { stage } = lastKeyStage();
    const store = { ...mapStore(), close: async () => void order.push('store') };
    const cache = createPromptCache<string, string>({
      store,
      semantic: { ...stage, close: async () => void order.push('stage') },
    });
    await cache.close();
    expect(order).toEqual(['stage', 'store']);

    const failing = createPromptCache<string, string>({
      store: mapStore(),
      semantic: { ...stage, close: async () => Promise.reject(new Error('index not saved')) },
    });
    await failing.close();
    expect(failing.stats.snapshot().errors).toBe(1);
  });
});
