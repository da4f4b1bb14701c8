import { type CacheStore, createPromptCache } from '@prompt-cache/core';
import { createFakeClock } from '@prompt-cache/core/testing';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { describe, expect, it } from 'vitest';
import type { Embedder } from './embedder.js';
import { createSemanticStage, type SemanticOptions } from './semantic-stage.js';
import { createWordHashEmbedder } from './test-embedder.js';

interface Ask {
  model: string;
  system?: string;
  prompt: string;
}

const split = (request: Ask) => ({
  scope: { model: request.model, system: request.system },
  text: request.prompt,
});

function setup(
  options: Partial<SemanticOptions<Ask>> & {
    store?: CacheStore;
    namespace?: string;
    stage?: ReturnType<typeof createSemanticStage<Ask>>;
  } = {},
) {
  const clock = createFakeClock(1_000_000);
  const embedder = createWordHashEmbedder();
  const stage = options.stage ?? createSemanticStage<Ask>({ split, embedder, ...options });
  const store = options.store ?? createMemoryStore({ clock });
  const cache = createPromptCache<Ask, string>({
    store,
    clock,
    semantic: stage,
    namespace: options.namespace,
  });
  let computed = 0;
  const ask = (request: Ask, call = {}) =>
    cache.getOrCompute(request, async () => `answer ${++computed} to ${request.prompt}`, call);
  return { clock, embedder, stage, store, cache, ask };
}

const model = 'model-a';
const original = { model, prompt: 'How do I configure the retention of logs in the Milvus server?' };
const paraphrase = { model, prompt: 'How do I configure logs retention in a Milvus server?' };

describe('semantic stage in the orchestrator', () => {
  it('answers a paraphrase from the entry of the cached prompt, and counts it apart', async () => {
    const { stage, cache, ask } = setup();
    const first = await ask(original);
    await stage.flush();
    const second = await ask(paraphrase);
    expect(second.status).toBe('hit');
    expect(second.value).toBe(first.value);
    expect(second.semantic).toMatchObject({ matchedKey: first.key, matchedPrompt: original.prompt });
    expect(second.semantic!.similarity).toBeGreaterThan(0.5);
    const stats = cache.stats.snapshot();
    expect(stats).toMatchObject({ hits: 1, semanticHits: 1, misses: 1 });
    expect(stats.semanticSimilarity).toBeCloseTo(second.semantic!.similarity, 6);
  });

  it('never embeds on an exact hit, and per call semantic: false skips the stage', async () => {
    const { stage, embedder, ask } = setup();
    await ask(original);
    await stage.flush();
    const embedded = embedder.calls.length;
    expect((await ask(original)).status).toBe('hit');
    expect((await ask(paraphrase, { semantic: false })).status).toBe('miss');
    expect(embedder.calls.length - embedded).toBe(0 + 1); // only the new answer of the second call was learned
    expect(embedder.calls.at(-1)).toBe(paraphrase.prompt);
  });

  it('never crosses a model, a system prompt or a namespace', async () => {
    const { stage, ask, store } = setup();
    await ask(original);
    await stage.flush();
    expect((await ask({ ...paraphrase, model: 'model-b' })).status).toBe('miss');
    expect((await ask({ ...paraphrase, system: 'Answer in French.' })).status).toBe('miss');
    // One stage behind two caches: the namespace is part of every partition.
    const other = setup({ store, stage, namespace: 'other' });
    expect((await other.ask(paraphrase)).status).toBe('miss');
    expect((await ask(paraphrase)).status).toBe('hit');
  });

  it('never serves a deleted or expired entry, and drops it from the index', async () => {
    const { stage, cache, ask } = setup();
    const first = await ask(original);
    await stage.flush();
    await cache.invalidate(first.key);
    expect((await ask(paraphrase)).status).toBe('miss');
    expect(stage.counters.dropped).toBe(1);
  });

  it('never serves an expired entry, and drops it from the index', async () => {
    const { stage, ask, clock } = setup();
    await ask(original, { ttlSeconds: 10 });
    await stage.flush();
    clock.advance(9_000);
    expect((await ask(paraphrase, { semantic: true })).status).toBe('hit');
    clock.advance(2_000);
    const late = await ask({ model, prompt: 'How can I configure retention of logs in the Milvus server?' });
    expect(late.status).toBe('miss');
    expect(stage.counters.dropped).toBe(1);
  });

  it('turns a failing embedder into an exact-only lookup, counted, never an error', async () => {
    const working = setup();
    await working.ask(original);
    await working.stage.flush();
    const broken: Embedder = {
      id: 'word-hash-64',
      dimensions: 64,
      embed: async () => Promise.reject(new Error('model crashed')),
    };
    const { ask, stage, cache } = setup({ embedder: broken, store: working.store });
    for (const item of working.stage.index.entries())
      stage.index.add(item.partition, item.prompt, item.vector);
    const result = await ask(paraphrase);
    expect(result.status).toBe('miss');
    expect(stage.counters.embedderFailures).toBe(1);
    expect(cache.stats.snapshot().errors).toBe(1);
    expect((await ask(original)).status).toBe('hit');
  });

  it('turns an embedder that never answers into an exact-only lookup after embedTimeoutMs', async () => {
    const hanging = setup();
    await hanging.ask(original);
    await hanging.stage.flush();
    const stuck: Embedder = { id: 'word-hash-64', dimensions: 64, embed: () => new Promise(() => undefined) };
    const { ask, stage, cache } = setup({ embedder: stuck, embedTimeoutMs: 5, store: hanging.store });
    for (const item of hanging.stage.index.entries())
      stage.index.add(item.partition, item.prompt, item.vector);
    const result = await ask(paraphrase);
    expect(result.status).toBe('miss');
    expect(stage.counters.embedderFailures).toBeGreaterThanOrEqual(1);
    expect(cache.stats.snapshot().errors).toBeGreaterThanOrEqual(1);
  });

  it('skips an empty prompt and a 100 KB prompt without embedding them, and still caches them exactly', async () => {
    const { stage, embedder, ask } = setup();
    await ask(original);
    await stage.flush();
    const before = embedder.calls.length;
    const skipped = stage.counters.skipped;
    const huge = { model, prompt: `${'why is the sky blue? '.repeat(5000)}` };
    expect(huge.prompt.length).toBeGreaterThan(100_000);
    for (const request of [{ model, prompt: '' }, { model, prompt: '   ' }, huge]) {
      expect((await ask(request)).status).toBe('miss');
      expect((await ask(request)).status).toBe('hit');
    }
    await stage.flush();
    expect(embedder.calls.length).toBe(before);
    expect(stage.counters.skipped - skipped).toBe(3);
  });

  it('explains what it served and what it refused', async () => {
    const { stage, cache, ask } = setup();
    await ask(original);
    await ask({ model, prompt: 'How do I disable the retention of logs in the Milvus server?' });
    await stage.flush();
    const served = await stage.explain(paraphrase, cache.keyFor(paraphrase));
    expect(served.reason).toBe('served');
    expect(served.candidates[0]).toMatchObject({ text: original.prompt, verdict: 'served' });
    const negated = { model, prompt: 'How do I disable the retention of the logs in Milvus server?' };
    const refused = await stage.explain(
      { model, prompt: 'How do I enable the retention of logs in a Milvus server?' },
      cache.keyFor(negated),
    );
    expect(refused.reason).toMatch(/guard: opposite|margin/);
  });
});
