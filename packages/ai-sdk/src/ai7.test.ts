import type { CacheStore } from '@prompt-cache/core';
import { createFailingStore } from '@prompt-cache/core/testing';
import { createMemoryStore } from '@prompt-cache/store-memory';
import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from 'ai-sdk-provider-v4';
import { beforeAll, describe, expect, it } from 'vitest';
import { AI7_RUNS } from '../test/ai-sdk-versions.js';
import { countingModelV4, streamParts } from '../test/mock-models.js';
import { keyMaterialOf } from './key-material.js';
import { promptCacheMiddleware } from './middleware.js';

// ai 7 (LanguageModelV4) with its own mock models from `ai/test`, typed by ai 7: the middleware fits its
// wrapLanguageModel as it is. (The real Bedrock provider of ai 7 is tested in bedrock-provider.test.ts.)
describe.skipIf(!AI7_RUNS)(
  `promptCacheMiddleware with ai 7${AI7_RUNS ? '' : ' (skipped: ai 7 needs Node 22)'}`,
  () => {
    let ai7: typeof import('ai7');
    let mocks: typeof import('ai7/test');
    beforeAll(async () => {
      [ai7, mocks] = await Promise.all([import('ai7'), import('ai7/test')]);
    });

    const setup = async (
      model?: Awaited<ReturnType<typeof countingModelV4>>,
      store: CacheStore = createMemoryStore(),
    ) => {
      const inner = model ?? (await countingModelV4());
      const middleware = promptCacheMiddleware({ store });
      return { model: inner, middleware, wrapped: ai7.wrapLanguageModel({ model: inner, middleware }) };
    };
    const ask = (prompt: string): LanguageModelV4CallOptions => ({
      prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    });
    const readAll = async (stream: ReadableStream<LanguageModelV4StreamPart>) => {
      const parts: LanguageModelV4StreamPart[] = [];
      for await (const part of stream as unknown as AsyncIterable<LanguageModelV4StreamPart>)
        parts.push(part);
      await new Promise((resolve) => setImmediate(resolve));
      return parts;
    };

    it('generateText: a hit has the Date, usage and provider metadata of the first answer', async () => {
      const { model, wrapped } = await setup();
      const first = await ai7.generateText({ model: wrapped, prompt: 'Say hello' });
      const second = await ai7.generateText({ model: wrapped, prompt: 'Say hello' });
      expect(model.doGenerateCalls).toHaveLength(1);
      expect(second.text).toBe(first.text);
      expect(second.response.timestamp).toBeInstanceOf(Date);
      expect(second.response.timestamp.toISOString()).toBe('2026-01-02T03:04:05.678Z');
      expect(second.usage).toEqual(first.usage);
      expect(second.providerMetadata).toEqual({ bedrock: { trace: { guardrail: 'none' } } });
    });

    it('streamText: a hit replays the same parts in the same order', async () => {
      const { model, wrapped } = await setup();
      const first = ai7.streamText({ model: wrapped, prompt: 'Stream hello' });
      const firstText = await first.text;
      const second = ai7.streamText({ model: wrapped, prompt: 'Stream hello' });
      expect(await second.text).toBe(firstText);
      expect(await second.usage).toEqual(await first.usage);
      expect(model.doStreamCalls).toHaveLength(1);
      expect(await readAll((await wrapped.doStream(ask('Stream hello'))).stream)).toEqual(
        streamParts(['Hello', ', ', 'world']),
      );
    });

    it('never shares an answer between two different images (V4 file data), and the same bytes share one', async () => {
      const { model, wrapped } = await setup();
      const withImage = (data: Uint8Array | string) =>
        ai7.generateText({
          model: wrapped,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is in this picture?' },
                { type: 'file', mediaType: 'image/png', data },
              ],
            },
          ],
        });
      await withImage(Uint8Array.from([1, 2, 3]));
      await withImage(Uint8Array.from([1, 2, 4]));
      expect(model.doGenerateCalls).toHaveLength(2);
      const [message] = model.doGenerateCalls[0]?.prompt ?? [];
      const file = (message?.content as { data: { type: string } }[] | undefined)?.[1];
      expect(file?.data.type).toBe('data'); // the V4 shape the key must look inside
      await withImage(Buffer.from([1, 2, 3]).toString('base64'));
      expect(model.doGenerateCalls).toHaveLength(2);
    });

    it("never stores an answer that finished 'interrupted' (the stream ended without its completion signal)", async () => {
      const interrupted = { unified: 'interrupted', raw: undefined } as const;
      const model = new mocks.MockLanguageModelV4({
        doStream: async () => ({
          stream: ai7.simulateReadableStream({
            chunks: streamParts(['cut']).map((part) =>
              part.type === 'finish' ? { ...part, finishReason: interrupted } : part,
            ) as LanguageModelV4StreamPart[],
          }),
        }),
      });
      const { wrapped } = await setup(model);
      await readAll((await wrapped.doStream(ask('Q'))).stream);
      await readAll((await wrapped.doStream(ask('Q'))).stream);
      expect(model.doStreamCalls).toHaveLength(2);
    });

    it('a generated file given by URL comes back from the cache as a URL', async () => {
      const model = new mocks.MockLanguageModelV4({
        doGenerate: async () => ({
          content: [
            {
              type: 'file',
              mediaType: 'image/png',
              data: { type: 'url', url: new URL('https://example.com/a.png') },
            },
          ],
          finishReason: { unified: 'stop', raw: 'end_turn' },
          usage: (await countingModelV4().then((inner) => inner.doGenerate(ask('x')))).usage,
          warnings: [],
        }),
      });
      const { wrapped } = await setup(model);
      await wrapped.doGenerate(ask('Draw'));
      const hit = await wrapped.doGenerate(ask('Draw'));
      expect(model.doGenerateCalls).toHaveLength(1);
      expect(hit.content[0]).toMatchObject({ type: 'file', data: { type: 'url' } });
      const data = (hit.content[0] as { data: { url: unknown } }).data;
      expect(data.url).toBeInstanceOf(URL);
    });

    it('still answers when the store fails, and counts the failures', async () => {
      const { model, middleware, wrapped } = await setup(undefined, createFailingStore());
      const result = await ai7.generateText({ model: wrapped, prompt: 'Q' });
      expect(result.text).toBe('Hello, world');
      expect(model.doGenerateCalls).toHaveLength(1);
      expect(middleware.cache.stats.snapshot().errors).toBeGreaterThanOrEqual(2);
    });

    it('reads a corrupt cached stream as a miss', async () => {
      const store = createMemoryStore();
      const { model, middleware, wrapped } = await setup(undefined, store);
      await readAll((await wrapped.doStream(ask('Q'))).stream);
      const key = middleware.cache.keyFor(keyMaterialOf({ operation: 'stream', params: ask('Q'), model }));
      const entry = await store.get(key);
      expect(entry).toBeDefined();
      await store.set(key, { ...entry!, value: '{"kind":"stream","parts":', decoded: undefined });
      const parts = await readAll((await wrapped.doStream(ask('Q'))).stream);
      expect(parts.at(-1)?.type).toBe('finish');
      expect(model.doStreamCalls).toHaveLength(2);
    });
  },
);
