import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { type BedrockSimulator, createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { promptCacheMiddleware } from './middleware.js';

// The real AI SDK Bedrock provider, signing real requests, answered by the local simulator (never AWS).
describe('promptCacheMiddleware with @ai-sdk/amazon-bedrock against the simulator', () => {
  let simulator: BedrockSimulator;
  let bedrock: ReturnType<typeof createAmazonBedrock>;

  beforeAll(async () => {
    simulator = createBedrockSimulator({ latency: 0 });
    const { url } = await simulator.listen({ host: '127.0.0.1', port: 0 });
    bedrock = createAmazonBedrock({
      region: 'us-east-1',
      accessKeyId: 'test',
      secretAccessKey: 'test',
      baseURL: url,
    });
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.clearCalls());

  const cachedModel = () =>
    wrapLanguageModel({
      model: bedrock('amazon.nova-lite-v1:0'),
      middleware: promptCacheMiddleware({ store: createMemoryStore() }),
    });

  it('generateText: the second identical call reaches the simulator zero times', async () => {
    const model = cachedModel();
    const first = await generateText({ model, prompt: 'What is a cache?', maxOutputTokens: 64 });
    expect(simulator.calls).toHaveLength(1);
    const second = await generateText({ model, prompt: 'What is a cache?', maxOutputTokens: 64 });
    expect(simulator.calls).toHaveLength(1);
    expect(second.text).toBe(first.text);
    expect(second.text).toContain('[simulated]');
    expect(second.usage).toEqual(first.usage);
    expect(second.response.timestamp).toBeInstanceOf(Date);
    await generateText({ model, prompt: 'What is a cache?', maxOutputTokens: 65 });
    expect(simulator.calls).toHaveLength(2);
  });

  it('streamText: the second identical stream is replayed without reaching the simulator', async () => {
    const model = cachedModel();
    const first = streamText({ model, prompt: 'Stream about caches' });
    const firstText = await first.text;
    await new Promise((resolve) => setImmediate(resolve));
    expect(simulator.calls.map((call) => call.operation)).toEqual(['ConverseStream']);
    const second = streamText({ model, prompt: 'Stream about caches' });
    expect(await second.text).toBe(firstText);
    expect(await second.finishReason).toBe(await first.finishReason);
    expect(simulator.calls).toHaveLength(1);
  });

  it('does not store a stream the simulator broke off, and the next call asks again', async () => {
    const model = cachedModel();
    simulator.injectFault({ kind: 'stream-exception', afterEvents: 3 });
    const errors: unknown[] = [];
    // The provider turns Bedrock's mid-stream exception into an error part; the text so far is cut short.
    const broken = streamText({ model, prompt: 'Break me', onError: ({ error }) => void errors.push(error) });
    const partial = await broken.text;
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    const whole = streamText({ model, prompt: 'Break me' });
    const complete = await whole.text;
    expect(simulator.calls).toHaveLength(2);
    expect(complete.length).toBeGreaterThan(partial.length);
  });
});
