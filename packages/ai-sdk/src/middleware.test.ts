import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { type CacheStore, explainKey } from '@prompt-cache/core';
import { createFailingStore, createFakeClock } from '@prompt-cache/core/testing';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { generateText, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { countingModel, streamParts } from '../test/mock-models.js';
import { keyMaterialOf } from './key-material.js';
import { promptCacheMiddleware } from './middleware.js';

function setup(model = countingModel(), store: CacheStore = createMemoryStore()) {
  const middleware = promptCacheMiddleware({ store });
  return { model, middleware, wrapped: wrapLanguageModel({ model, middleware }) };
}

/** Reads a stream to its end, then lets the cache finish storing it (a memory store needs only microtasks). */
const readAll = async <T>(stream: ReadableStream<T>) => {
  const parts: T[] = [];
  try {
    for await (const part of stream as unknown as AsyncIterable<T>) parts.push(part);
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return parts;
};

const callOptions = (
  prompt: string,
  extra: Partial<LanguageModelV3CallOptions> = {},
): LanguageModelV3CallOptions => ({
  prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
  ...extra,
});

describe('promptCacheMiddleware with generateText', () => {
  it('answers the second identical call from the cache, with the Date, usage and provider metadata intact', async () => {
    const { model, wrapped } = setup();
    const first = await generateText({ model: wrapped, prompt: 'Say hello' });
    const second = await generateText({ model: wrapped, prompt: 'Say hello' });
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(second.text).toBe(first.text);
    expect(second.response.timestamp).toBeInstanceOf(Date);
    expect(second.response.timestamp.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(second.usage).toEqual(first.usage);
    expect(second.usage.cachedInputTokens).toBe(2);
    expect(second.providerMetadata).toEqual({ bedrock: { trace: { guardrail: 'none' } } });
    expect(second.finishReason).toBe('stop');
  });

  it('asks again when anything that changes the answer differs, and not for headers or abort signals', async () => {
    const { model, wrapped } = setup();
    await generateText({ model: wrapped, prompt: 'Q', temperature: 0.2 });
    await generateText({ model: wrapped, prompt: 'Q', temperature: 0.2, headers: { 'x-trace': '1' } });
    await generateText({
      model: wrapped,
      prompt: 'Q',
      temperature: 0.2,
      abortSignal: new AbortController().signal,
    });
    expect(model.doGenerateCalls).toHaveLength(1);
    await generateText({ model: wrapped, prompt: 'Q', temperature: 0.9 });
    await generateText({ model: wrapped, prompt: 'Q', temperature: 0.2, system: 'Be brief.' });
    await generateText({
      model: wrapped,
      prompt: 'Q',
      temperature: 0.2,
      providerOptions: { bedrock: { x: 1 } },
    });
    expect(model.doGenerateCalls).toHaveLength(4);
  });

  it('never shares an answer between two different images, and the same image as bytes or base64 shares one', async () => {
    const { model, wrapped } = setup();
    const image = (bytes: number[]) => Uint8Array.from(bytes);
    const ask = (data: Uint8Array | string) =>
      generateText({
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
    await ask(image([1, 2, 3]));
    await ask(image([1, 2, 4]));
    expect(model.doGenerateCalls).toHaveLength(2);
    await ask(Buffer.from([1, 2, 3]).toString('base64'));
    expect(model.doGenerateCalls).toHaveLength(2);
  });

  it('shares one model call among concurrent identical calls', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = countingModel();
    const model = new MockLanguageModelV3({
      doGenerate: async (options) => {
        await gate;
        return inner.doGenerate(options);
      },
    });
    const { wrapped } = setup(model);
    const calls = Array.from({ length: 5 }, () => generateText({ model: wrapped, prompt: 'same' }));
    release();
    const results = await Promise.all(calls);
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(new Set(results.map((result) => result.text))).toEqual(new Set(['Hello, world']));
  });

  it.each(['error', 'other'] as const)('never stores an answer that finished with %s', async (unified) => {
    const { model, wrapped } = setup(countingModel({ finishReason: { unified, raw: undefined } }));
    await generateText({ model: wrapped, prompt: 'Q' });
    await generateText({ model: wrapped, prompt: 'Q' });
    expect(model.doGenerateCalls).toHaveLength(2);
  });

  it('never stores structured output that does not parse against the requested schema, unless told to', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    } as const;
    const json = (text: string, cacheInvalidStructuredOutput = false) => {
      const model = countingModel({ text });
      const wrapped = wrapLanguageModel({
        model,
        middleware: promptCacheMiddleware({ store: createMemoryStore(), cacheInvalidStructuredOutput }),
      });
      return { model, wrapped };
    };
    const format = { responseFormat: { type: 'json' as const, schema } };
    for (const [text, calls] of [
      ['{"city":"Paris"}', 1],
      ['{"city":"Par', 2],
      ['{"town":"Paris"}', 2],
      ['Here you go: {"city":"Paris"}', 2],
    ] as const) {
      const { model, wrapped } = json(text);
      await wrapped.doGenerate(callOptions('Where?', format));
      await wrapped.doGenerate(callOptions('Where?', format));
      expect(model.doGenerateCalls, text).toHaveLength(calls);
    }
    const { model, wrapped } = json('{"city":"Par', true);
    await wrapped.doGenerate(callOptions('Where?', format));
    await wrapped.doGenerate(callOptions('Where?', format));
    expect(model.doGenerateCalls).toHaveLength(1);
  });

  it('lets a model error through and stores nothing', async () => {
    let calls = 0;
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        calls++;
        throw new Error('throttled');
      },
    });
    const { wrapped } = setup(model);
    await expect(wrapped.doGenerate(callOptions('Q'))).rejects.toThrow('throttled');
    await expect(wrapped.doGenerate(callOptions('Q'))).rejects.toThrow('throttled');
    expect(calls).toBe(2);
  });

  it('still answers when the store fails, and counts the failures', async () => {
    const { model, middleware, wrapped } = setup(countingModel(), createFailingStore());
    const result = await generateText({ model: wrapped, prompt: 'Q' });
    expect(result.text).toBe('Hello, world');
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(middleware.cache.stats.snapshot().errors).toBeGreaterThanOrEqual(2);
  });

  it('derives the key core explains, from keyMaterialOf', async () => {
    const { model, middleware, wrapped } = setup();
    await generateText({ model: wrapped, prompt: 'Explain me' });
    const params = model.doGenerateCalls[0]!;
    const explained = explainKey(keyMaterialOf({ operation: 'generate', params, model }), {
      namespace: 'ai-sdk',
    });
    expect(explained.material).toContain('Explain me');
    expect(explained.material).not.toContain('abortSignal');
    expect(await middleware.cache.invalidate(explained.key)).toBe(true);
  });
});

describe('promptCacheMiddleware with streamText', () => {
  it('replays the same parts in the same order on the second identical call', async () => {
    const { model, wrapped } = setup();
    const first = streamText({ model: wrapped, prompt: 'Stream hello' });
    const firstText = await first.text;
    const second = streamText({ model: wrapped, prompt: 'Stream hello' });
    expect(await second.text).toBe(firstText);
    expect(model.doStreamCalls).toHaveLength(1);
    expect((await second.response).timestamp.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(await second.usage).toEqual(await first.usage);
    expect(await second.providerMetadata).toEqual({ bedrock: { stopSequence: null } });

    const direct = await wrapped.doStream(callOptions('Stream hello'));
    const replayed = await readAll(direct.stream);
    expect(replayed).toEqual(streamParts(['Hello', ', ', 'world']));
  });

  it('shares one model call among concurrent identical streams', async () => {
    const { model, wrapped } = setup();
    const streams = await Promise.all(
      Array.from({ length: 4 }, () => wrapped.doStream(callOptions('together'))),
    );
    const texts = await Promise.all(
      streams.map(async ({ stream }) =>
        (await readAll(stream)).map((part) => (part.type === 'text-delta' ? part.delta : '')).join(''),
      ),
    );
    expect(texts).toEqual(Array(4).fill('Hello, world'));
    expect(model.doStreamCalls).toHaveLength(1);
  });

  it('never stores a stream that errored, was cancelled, or finished with error', async () => {
    const failing = new MockLanguageModelV3({
      doStream: async () => ({
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            controller.enqueue({ type: 'text-delta', id: 't', delta: 'half' });
            controller.error(new Error('connection reset'));
          },
        }),
      }),
    });
    const errored = setup(failing);
    await expect(readAll((await errored.wrapped.doStream(callOptions('Q'))).stream)).rejects.toThrow('reset');
    await expect(readAll((await errored.wrapped.doStream(callOptions('Q'))).stream)).rejects.toThrow('reset');
    expect(failing.doStreamCalls).toHaveLength(2);

    const cancelled = setup();
    const reader = (await cancelled.wrapped.doStream(callOptions('Q'))).stream.getReader();
    await reader.read();
    await reader.cancel('user left');
    await new Promise((resolve) => setImmediate(resolve));
    await readAll((await cancelled.wrapped.doStream(callOptions('Q'))).stream);
    expect(cancelled.model.doStreamCalls).toHaveLength(2);

    const errorPart = new MockLanguageModelV3({
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            ...streamParts(['x']).slice(0, -1),
            { type: 'error', error: 'overloaded' },
            streamParts([]).at(-1)!, // and then a clean finish
          ],
        }),
      }),
    });
    const withErrorPart = setup(errorPart);
    await readAll((await withErrorPart.wrapped.doStream(callOptions('Q'))).stream);
    await readAll((await withErrorPart.wrapped.doStream(callOptions('Q'))).stream);
    expect(errorPart.doStreamCalls).toHaveLength(2);

    const finishedWithError = setup(countingModel({ finishReason: { unified: 'error', raw: undefined } }));
    await readAll((await finishedWithError.wrapped.doStream(callOptions('Q'))).stream);
    await readAll((await finishedWithError.wrapped.doStream(callOptions('Q'))).stream);
    expect(finishedWithError.model.doStreamCalls).toHaveLength(2);
  });

  it('reads a corrupt cached stream as a miss', async () => {
    const store = createMemoryStore();
    const { model, middleware, wrapped } = setup(countingModel(), store);
    await readAll((await wrapped.doStream(callOptions('Q'))).stream);
    const key = middleware.cache.keyFor(
      keyMaterialOf({ operation: 'stream', params: callOptions('Q'), model }),
    );
    const entry = await store.get(key);
    await store.set(key, { ...entry!, value: '{"kind":"stream","parts":', decoded: undefined });
    const parts = await readAll((await wrapped.doStream(callOptions('Q'))).stream);
    expect(parts.at(-1)?.type).toBe('finish');
    expect(model.doStreamCalls).toHaveLength(2);
  });

  it('replays with the original pacing when asked', async () => {
    const clock = createFakeClock();
    const words = ['a', 'b', 'c'];
    const model = new MockLanguageModelV3({
      doStream: async () => ({
        stream: new ReadableStream<LanguageModelV3StreamPart>(
          {
            async pull(controller) {
              const next = parts.shift();
              if (!next) return controller.close();
              clock.advance(100);
              controller.enqueue(next);
            },
          },
          { highWaterMark: 0 },
        ), // a part is made only when read, 100 ms after the one before
      }),
    });
    const parts = streamParts(words);
    const waited: number[] = [];
    const middleware = promptCacheMiddleware({
      store: createMemoryStore({ clock }),
      clock,
      replay: 'original',
      sleep: async (ms) => {
        waited.push(ms);
      },
    });
    const wrapped = wrapLanguageModel({ model, middleware });
    await readAll((await wrapped.doStream(callOptions('paced'))).stream);
    const replayed = await readAll((await wrapped.doStream(callOptions('paced'))).stream);
    expect(replayed).toHaveLength(streamParts(words).length);
    expect(waited).toEqual(Array(replayed.length - 1).fill(100));
  });
});

describe('promptCacheMiddleware options', () => {
  it('refuses a missing store and an unknown replay mode', () => {
    expect(() => promptCacheMiddleware({} as never)).toThrow(/needs a store/);
    expect(() => promptCacheMiddleware({ store: createMemoryStore(), replay: 'slow' as never })).toThrow(
      /replay must be 'immediate' or 'original'/,
    );
  });
});
