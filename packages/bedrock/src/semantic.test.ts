import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it, vi } from 'vitest';
import { CLAUDE, collect, converseInput, streamText, useCachedClients } from '../test/helpers.js';
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

  it('replays a paraphrase of a cached stream as a stream, and refuses a negated one', async () => {
    const { client, cached } = cachedClient({ semantic: true });
    const first = await client.send(new ConverseStreamCommand(converseInput(question)));
    const firstEvents = await collect(first.stream);
    expect(await cacheInfo(first)?.settled).toMatchObject({ status: 'miss', stored: true });
    await cached.semantic!.flush();
    const calls = harness.server.calls().length;
    const second = await client.send(new ConverseStreamCommand(converseInput(paraphrase)));
    expect(cacheInfo(second)).toMatchObject({
      status: 'hit',
      operation: 'ConverseStream',
      pending: false,
      semantic: { matchedPrompt: question, matchedKey: cacheInfo(first)!.key },
    });
    expect(cacheInfo(second)?.key).toBe(cached.keyFor(new ConverseStreamCommand(converseInput(paraphrase))));
    expect(cacheInfo(second)?.semantic?.similarity ?? 0).toBeGreaterThan(0.5);
    const replayed = await collect(second.stream);
    expect(streamText(replayed)).toBe(streamText(firstEvents));
    expect(harness.server.calls().length).toBe(calls);
    expect(cached.stats.snapshot()).toMatchObject({ hits: 1, semanticHits: 1, misses: 1 });

    const negated = converseInput('How do I disable the retention period of logs in the Milvus server?');
    expect((await cached.explainSemantic(new ConverseStreamCommand(negated))).reason).toMatch(/^guard: /);
    const refused = await client.send(new ConverseStreamCommand(negated));
    expect(cacheInfo(refused)).toMatchObject({ status: 'miss' });
    expect(cacheInfo(refused)?.semantic).toBeUndefined();
    await collect(refused.stream);
    expect(harness.server.calls().length).toBe(calls + 1);
  }, 60_000);

  it('keeps Converse and ConverseStream apart, as their keys do', async () => {
    const { client, cached } = cachedClient({ semantic: true });
    const unary = await client.send(new ConverseCommand(converseInput(question)));
    const streamed = await client.send(new ConverseStreamCommand(converseInput(question)));
    await collect(streamed.stream);
    await cached.semantic!.flush();
    expect(cacheInfo(unary)?.key).not.toBe(cacheInfo(streamed)?.key);

    const asStream = await client.send(new ConverseStreamCommand(converseInput(paraphrase)));
    expect(cacheInfo(asStream)?.semantic?.matchedKey).toBe(cacheInfo(streamed)?.key);
    await collect(asStream.stream);
    const asUnary = await client.send(new ConverseCommand(converseInput(paraphrase)));
    expect(cacheInfo(asUnary)?.semantic?.matchedKey).toBe(cacheInfo(unary)?.key);
    expect(asUnary.output).toEqual(unary.output);

    // With only a stream cached, a Converse paraphrase misses (and the other way round).
    const onlyStream = cachedClient({ semantic: true });
    const recorded = await onlyStream.client.send(new ConverseStreamCommand(converseInput(question)));
    await collect(recorded.stream);
    await onlyStream.cached.semantic!.flush();
    const unaryMiss = await onlyStream.client.send(new ConverseCommand(converseInput(paraphrase)));
    expect(cacheInfo(unaryMiss)).toMatchObject({ status: 'miss' });
    const onlyUnary = cachedClient({ semantic: true });
    await onlyUnary.client.send(new ConverseCommand(converseInput(question)));
    await onlyUnary.cached.semantic!.flush();
    const streamMiss = await onlyUnary.client.send(new ConverseStreamCommand(converseInput(paraphrase)));
    expect(cacheInfo(streamMiss)).toMatchObject({ status: 'miss' });
    await collect(streamMiss.stream);
  }, 60_000);

  it('per call semantic: false keeps a stream exact', async () => {
    const { client, cached } = cachedClient({ semantic: true });
    await collect((await client.send(new ConverseStreamCommand(converseInput(question)))).stream);
    await cached.semantic!.flush();
    const exactOnly = withCacheControl(new ConverseStreamCommand(converseInput(paraphrase)), {
      semantic: false,
    });
    const response = await client.send(exactOnly);
    expect(cacheInfo(response)?.status).toBe('miss');
    await collect(response.stream);
  }, 60_000);

  it('asks the fallback option after an exact miss of a Converse call, never of a stream', async () => {
    const fallback = vi.fn(async () => undefined);
    const { client } = cachedClient({ fallback });
    await collect((await client.send(new ConverseStreamCommand(converseInput(question)))).stream);
    expect(fallback).not.toHaveBeenCalled();
    await client.send(new ConverseCommand(converseInput(question)));
    expect(fallback).toHaveBeenCalledTimes(1);
  });

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
    const streamed = splitConverse({ operation: 'ConverseStream', input: base })!;
    expect(streamed.text).toBe('hello there');
    expect(streamed.scope).not.toEqual(split.scope);
    const assistantLast = { modelId: 'm', messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] };
    expect(splitConverse({ operation: 'Converse', input: assistantLast })).toBeUndefined();
  });
});
