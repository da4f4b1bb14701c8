import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { withPromptCache } from '@prompt-cache/bedrock';
import { type BedrockSimulator, createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import type { CacheStore } from '@prompt-cache/core';
import { createFailingStore, createFakeClock } from '@prompt-cache/core/testing';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PromptCacheLangChainCache } from './langchain-cache.js';

// The real ChatBedrockConverse and the real AWS SDK client, answered by the local simulator (never AWS).
let simulator: BedrockSimulator;
let endpoint: string;
const clients: BedrockRuntimeClient[] = [];

beforeAll(async () => {
  simulator = createBedrockSimulator({ latency: 0 });
  endpoint = (await simulator.listen({ host: '127.0.0.1', port: 0 })).url;
});
afterAll(() => simulator.close());
beforeEach(() => simulator.clearCalls());
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function bedrockClient(): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

function chat(options: { client: BedrockRuntimeClient; cache?: PromptCacheLangChainCache }) {
  return new ChatBedrockConverse({
    model: 'amazon.nova-lite-v1:0',
    region: 'us-east-1',
    credentials,
    ...options,
  });
}

// Two one-pixel PNGs that differ in their colour only.
const RED =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const BLUE =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPj/HwADBwIAMCbHYQAAAABJRU5ErkJggg==';
const askAbout = (png: string) =>
  new HumanMessage({
    content: [
      { type: 'text', text: 'What colour is this pixel?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    ],
  });

describe('PromptCacheLangChainCache (a LangChain BaseCache)', () => {
  it('answers the second identical invoke from the store, as an AIMessage', async () => {
    const cache = new PromptCacheLangChainCache({ store: createMemoryStore() });
    const model = chat({ client: bedrockClient(), cache });
    const first = await model.invoke('What is a cache?');
    const second = await model.invoke('What is a cache?');
    expect(simulator.calls).toHaveLength(1);
    expect(second).toBeInstanceOf(AIMessage);
    expect(second.content).toEqual(first.content);
    expect(String(second.content)).toContain('[simulated]');
    const stats = cache.cache.stats.snapshot();
    expect([stats.hits, stats.misses, stats.sets]).toEqual([1, 1, 1]);
  });

  it('expires by the injected clock', async () => {
    const clock = createFakeClock();
    const cache = new PromptCacheLangChainCache({
      store: createMemoryStore({ clock }),
      clock,
      ttlSeconds: 60,
    });
    const model = chat({ client: bedrockClient(), cache });
    await model.invoke('Expiring question');
    clock.advance(60_000);
    await model.invoke('Expiring question');
    expect(simulator.calls).toHaveLength(2);
  });

  it('shows LangChain\u2019s own flaw: its key sees only text, so two different images share one answer', async () => {
    const model = chat({
      client: bedrockClient(),
      cache: new PromptCacheLangChainCache({ store: createMemoryStore() }),
    });
    await model.invoke([askAbout(RED)]);
    await model.invoke([askAbout(BLUE)]);
    expect(simulator.calls).toHaveLength(1); // the blue question got the red answer: use the client path below
  });

  it('still answers when the store fails, and counts the failures', async () => {
    const cache = new PromptCacheLangChainCache({ store: createFailingStore() });
    const model = chat({ client: bedrockClient(), cache });
    const answer = await model.invoke('Is the store down?');
    expect(String(answer.content)).toContain('[simulated]');
    await model.invoke('Is the store down?');
    expect(simulator.calls).toHaveLength(2);
    expect(cache.cache.stats.snapshot().errors).toBeGreaterThanOrEqual(2);
  });

  it('refuses a missing store', () => {
    expect(() => new PromptCacheLangChainCache({} as { store: CacheStore })).toThrow(/needs a store/);
  });
});

describe('the recommended path: a withPromptCache-wrapped client passed to ChatBedrockConverse', () => {
  function cachedChat() {
    const client = bedrockClient();
    const controller = withPromptCache(client, { store: createMemoryStore() });
    return { model: chat({ client }), controller };
  }

  it('caches invoke', async () => {
    const { model } = cachedChat();
    const first = await model.invoke('Why cache the client?');
    const second = await model.invoke('Why cache the client?');
    expect(simulator.calls.map((call) => call.operation)).toEqual(['Converse']);
    expect(second.content).toEqual(first.content);
  });

  it('still answers when the store fails, and counts the failures', async () => {
    const client = bedrockClient();
    const controller = withPromptCache(client, { store: createFailingStore() });
    const answer = await chat({ client }).invoke('Is the store down?');
    expect(String(answer.content)).toContain('[simulated]');
    expect(simulator.calls).toHaveLength(1);
    expect(controller.stats.snapshot().errors).toBeGreaterThanOrEqual(1);
  });

  it('caches stream, which LangChain\u2019s own cache never consults', async () => {
    const { model } = cachedChat();
    const collect = async () => {
      let text = '';
      for await (const chunk of await model.stream('Stream it, please')) text += chunk.content;
      return text;
    };
    const first = await collect();
    const second = await collect();
    expect(simulator.calls.map((call) => call.operation)).toEqual(['ConverseStream']);
    expect(second).toBe(first);
    expect(second).toContain('[simulated]');
  });

  it('never lets two different images share an answer, and answers the same image again from the cache', async () => {
    const { model } = cachedChat();
    await model.invoke([askAbout(RED)]);
    await model.invoke([askAbout(BLUE)]);
    expect(simulator.calls).toHaveLength(2);
    await model.invoke([askAbout(RED)]);
    expect(simulator.calls).toHaveLength(2);
  });
});
