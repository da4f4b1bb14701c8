import { type BedrockSimulator, createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AI_SDK_MAJORS, type AiSdk } from '../test/ai-sdk-versions.js';
import { promptCacheMiddleware } from './middleware.js';

// The real AI SDK Bedrock provider, signing real requests, answered by the local simulator (never AWS).
describe.each(AI_SDK_MAJORS)('promptCacheMiddleware with $name against the simulator', (major) => {
  let simulator: BedrockSimulator;
  let sdk: AiSdk;
  let bedrock: ReturnType<AiSdk['createAmazonBedrock']>;

  beforeAll(async () => {
    if (!major.runs) return;
    sdk = await major.load();
    simulator = createBedrockSimulator({ latency: 0 });
    const { url } = await simulator.listen({ host: '127.0.0.1', port: 0 });
    bedrock = sdk.createAmazonBedrock({
      region: 'us-east-1',
      accessKeyId: 'test',
      secretAccessKey: 'test',
      baseURL: url,
    });
  });
  afterAll(() => simulator?.close());
  beforeEach(() => simulator?.clearCalls());

  const cachedModel = () =>
    sdk.wrapLanguageModel({
      model: bedrock('amazon.nova-lite-v1:0'),
      middleware: promptCacheMiddleware({ store: createMemoryStore() }),
    });

  it.skipIf(!major.runs)(
    'generateText: the second identical call reaches the simulator zero times',
    async () => {
      const model = cachedModel();
      const first = await sdk.generateText({ model, prompt: 'What is a cache?', maxOutputTokens: 64 });
      expect(simulator.calls).toHaveLength(1);
      const second = await sdk.generateText({ model, prompt: 'What is a cache?', maxOutputTokens: 64 });
      expect(simulator.calls).toHaveLength(1);
      expect(second.text).toBe(first.text);
      expect(second.text).toContain('[simulated]');
      expect(second.usage).toEqual(first.usage);
      expect(second.response.timestamp).toBeInstanceOf(Date);
      await sdk.generateText({ model, prompt: 'What is a cache?', maxOutputTokens: 65 });
      expect(simulator.calls).toHaveLength(2);
    },
  );

  it.skipIf(!major.runs)(
    'streamText: the second identical stream is replayed without reaching the simulator',
    async () => {
      const model = cachedModel();
      const first = sdk.streamText({ model, prompt: 'Stream about caches' });
      const firstText = await first.text;
      await new Promise((resolve) => setImmediate(resolve));
      expect(simulator.calls.map((call) => call.operation)).toEqual(['ConverseStream']);
      const second = sdk.streamText({ model, prompt: 'Stream about caches' });
      expect(await second.text).toBe(firstText);
      expect(await second.finishReason).toBe(await first.finishReason);
      expect(simulator.calls).toHaveLength(1);
    },
  );

  it.skipIf(!major.runs)(
    'does not store a stream the simulator broke off, and the next call asks again',
    async () => {
      const model = cachedModel();
      simulator.injectFault({ kind: 'stream-exception', afterEvents: 3 });
      const errors: unknown[] = [];
      // The provider turns Bedrock's mid-stream exception into an error part; the text so far is cut short.
      const broken = sdk.streamText({
        model,
        prompt: 'Break me',
        onError: ({ error }) => void errors.push(error),
      });
      const partial = await broken.text;
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).toHaveLength(1);
      const whole = sdk.streamText({ model, prompt: 'Break me' });
      const complete = await whole.text;
      expect(simulator.calls).toHaveLength(2);
      expect(complete.length).toBeGreaterThan(partial.length);
    },
  );
});
