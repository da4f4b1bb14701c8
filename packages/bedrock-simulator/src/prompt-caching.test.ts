import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, createTestClient } from '../test/helpers.js';
import { createPromptCache, type PromptBlock } from './prompt-caching.js';
import { type BedrockSimulator, createBedrockSimulator } from './simulator.js';

const text = (key: string, tokens: number): PromptBlock => ({ kind: 'content', key, tokens });
const cachePoint: PromptBlock = { kind: 'cachePoint' };

describe('createPromptCache', () => {
  it('writes a prefix on first use, reads it within the TTL, and forgets it after', () => {
    const clock = createManualClock();
    const cache = createPromptCache({ clock });
    const blocks = [text('system', 100), cachePoint, text('question', 10)];
    expect(cache.account('m', blocks)).toEqual({
      inputTokens: 10,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 100,
      usedCachePoints: true,
    });
    clock.advance(299_999);
    expect(cache.account('m', blocks)).toMatchObject({
      inputTokens: 10,
      cacheReadInputTokens: 100,
      cacheWriteInputTokens: 0,
    });
    // The read refreshed the entry: 4 more minutes is still inside the TTL.
    clock.advance(240_000);
    expect(cache.account('m', blocks).cacheReadInputTokens).toBe(100);
    clock.advance(300_000);
    expect(cache.account('m', blocks)).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 100 });
  });

  it('reads the longest cached prefix and writes the rest up to the last cache point', () => {
    const cache = createPromptCache({ clock: createManualClock() });
    cache.account('m', [text('tools', 50), cachePoint, text('a', 5)]);
    const usage = cache.account('m', [
      text('tools', 50),
      cachePoint,
      text('system', 30),
      cachePoint,
      text('b', 5),
    ]);
    expect(usage).toMatchObject({ inputTokens: 5, cacheReadInputTokens: 50, cacheWriteInputTokens: 30 });
  });

  it('keys prefixes by model and content, and ignores prefixes below minimumTokens', () => {
    const cache = createPromptCache({ clock: createManualClock(), minimumTokens: 1024 });
    expect(cache.account('m', [text('short', 100), cachePoint]).usedCachePoints).toBe(false);
    const other = createPromptCache({ clock: createManualClock() });
    other.account('m1', [text('p', 10), cachePoint]);
    expect(other.account('m2', [text('p', 10), cachePoint]).cacheWriteInputTokens).toBe(10);
    expect(other.account('m1', [text('q', 10), cachePoint]).cacheWriteInputTokens).toBe(10);
    expect(other.size()).toBe(3);
  });
});

describe('cachePoint blocks through the real AWS SDK', () => {
  const clock = createManualClock();
  let simulator: BedrockSimulator;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    simulator = createBedrockSimulator({ latency: 0, clock });
    const { url } = await simulator.listen({ port: 0 });
    client = createTestClient(url);
  });

  afterAll(async () => {
    client.destroy();
    await simulator.close();
  });

  const longSystem = 'You are a patient teacher of caching. '.repeat(120);
  const request = (question: string): ConverseCommandInput => ({
    modelId: 'us.amazon.nova-pro-v1:0',
    system: [{ text: longSystem }, { cachePoint: { type: 'default' } }],
    messages: [{ role: 'user', content: [{ text: question }] }],
  });

  it('reports a cache write, then a read within 5 minutes, then a write again after expiry', async () => {
    const first = await client.send(new ConverseCommand(request('What is a cache hit?')));
    const prefixTokens = first.usage?.cacheWriteInputTokens ?? 0;
    expect(prefixTokens).toBeGreaterThan(1000);
    expect(first.usage?.cacheReadInputTokens).toBe(0);
    expect(first.usage?.inputTokens).toBeLessThan(20);
    expect(first.usage?.totalTokens).toBe(
      (first.usage?.inputTokens ?? 0) + (first.usage?.outputTokens ?? 0) + prefixTokens,
    );

    clock.advance(60_000);
    const second = await client.send(new ConverseCommand(request('And what is a cache miss?')));
    expect(second.usage).toMatchObject({ cacheReadInputTokens: prefixTokens, cacheWriteInputTokens: 0 });

    clock.advance(5 * 60_000 + 1);
    const third = await client.send(new ConverseCommand(request('What is a cache hit?')));
    expect(third.usage).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: prefixTokens });
    // The cache point changes the accounting, never the answer.
    expect(third.output).toEqual(first.output);
  });

  it('honours cache points in tools and messages too', async () => {
    const tools = [
      {
        toolSpec: {
          name: 'search_docs',
          description: 'Search the docs. '.repeat(50),
          inputSchema: { json: { type: 'object' } },
        },
      },
      { cachePoint: { type: 'default' as const } },
    ];
    const input: ConverseCommandInput = {
      modelId: 'amazon.nova-lite-v1:0',
      toolConfig: { tools },
      messages: [
        {
          role: 'user',
          content: [
            { text: 'A long shared document. '.repeat(100) },
            { cachePoint: { type: 'default' } },
            { text: 'Summarize it.' },
          ],
        },
      ],
    };
    const first = await client.send(new ConverseCommand(input));
    const second = await client.send(new ConverseCommand(input));
    expect(first.usage?.cacheWriteInputTokens).toBeGreaterThan(0);
    expect(second.usage?.cacheReadInputTokens).toBe(first.usage?.cacheWriteInputTokens);
    expect(second.usage?.cacheWriteInputTokens).toBe(0);
  });
});
