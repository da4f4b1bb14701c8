import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { CLAUDE, converseInput, useCachedClients } from '../test/helpers.js';
import { withCacheControl } from './cache-control.js';
import { cacheInfo } from './cache-info.js';
import { splitConverse } from './semantic-split.js';

const harness = useCachedClients();
const { cachedClient } = harness;

const question = 'How do I configure the retention period of logs in the Milvus server?';
const paraphrase = 'How can I configure the log retention period of a Milvus server?';

describe('semantic hits through the real SDK client (default offline embedder)', () => {
  it('answers a paraphrase from the cache, reports its similarity, and refuses a negated question', async () => {
    const { client, cached } = cachedClient({ semantic: true });
    const first = await client.send(new ConverseCommand(converseInput(question)));
    await cached.semantic!.flush();
    const calls = harness.server.calls().length;
    const second = await client.send(new ConverseCommand(converseInput(paraphrase)));
    expect(harness.server.calls().length).toBe(calls);
    expect(second.output).toEqual(first.output);
    expect(cacheInfo(second)).toMatchObject({ status: 'hit', semantic: { matchedPrompt: question } });
    expect(cacheInfo(second)?.semantic?.similarity ?? 0).toBeGreaterThan(0.5);
    expect(cached.stats.snapshot()).toMatchObject({ hits: 1, semanticHits: 1 });

    const negated = converseInput('How do I disable the retention period of logs in the Milvus server?');
    const explanation = await cached.explainSemantic(negated);
    expect(explanation.reason).toMatch(/^guard: /);
    expect(cacheInfo(await client.send(new ConverseCommand(negated)))?.status).toBe('miss');
  }, 60_000);

  it('never crosses models, and per call semantic: false stays exact', async () => {
    const { client, cached } = cachedClient({ semantic: { threshold: 0.5 } });
    await client.send(new ConverseCommand(converseInput(question)));
    await cached.semantic!.flush();
    const otherModel = await client.send(new ConverseCommand(converseInput(paraphrase, CLAUDE)));
    expect(cacheInfo(otherModel)?.status).toBe('miss');
    const exactOnly = withCacheControl(new ConverseCommand(converseInput(paraphrase)), { semantic: false });
    expect(cacheInfo(await client.send(exactOnly))?.status).toBe('miss');
  }, 60_000);

  it('without the option, never loads the semantic package', async () => {
    const { cached } = cachedClient();
    expect(cached.semantic).toBeUndefined();
    expect((await cached.explainSemantic(converseInput(question))).reason).toMatch(/off/);
  });
});

describe('splitConverse', () => {
  it('compares the last user text only, and keeps the rest in the scope', () => {
    const base = converseInput('hello there');
    const split = splitConverse({ operation: 'Converse', input: base })!;
    expect(split.text).toBe('hello there');
    const withSystem = splitConverse({
      operation: 'Converse',
      input: { ...base, system: [{ text: 'be brief' }] },
    })!;
    expect(withSystem.scope).not.toEqual(split.scope);
    expect(splitConverse({ operation: 'InvokeModel', input: { modelId: 'm', body: '{}' } })).toBeUndefined();
    const assistantLast = { modelId: 'm', messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] };
    expect(splitConverse({ operation: 'Converse', input: assistantLast })).toBeUndefined();
  });
});
