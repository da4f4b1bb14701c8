import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectConverseStream, createTestClient } from '../test/helpers.js';
import { type BedrockSimulator, createBedrockSimulator } from './simulator.js';

const MODEL = 'amazon.nova-lite-v1:0';

function question(text: string, extra: Partial<ConverseCommandInput> = {}): ConverseCommandInput {
  return { modelId: MODEL, messages: [{ role: 'user', content: [{ text }] }], ...extra };
}

describe('Converse and ConverseStream through the real AWS SDK', () => {
  let simulator: BedrockSimulator;
  let url: string;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    simulator = createBedrockSimulator({ latency: 0 });
    ({ url } = await simulator.listen({ port: 0 }));
    client = createTestClient(url);
  });

  afterAll(async () => {
    client.destroy();
    await simulator.close();
  });

  beforeEach(() => simulator.clearCalls());

  it('answers Converse over HTTP/2 in the real AWS shape, labelled as simulated', async () => {
    const response = await client.send(new ConverseCommand(question('How does TTL work in Milvus?')));
    const text = response.output?.message?.content?.[0]?.text ?? '';
    expect(response.output?.message?.role).toBe('assistant');
    expect(text.startsWith('[simulated] ')).toBe(true);
    expect(text).toContain('TTL in Milvus');
    expect(response.stopReason).toBe('end_turn');
    const usage = response.usage;
    expect(usage?.inputTokens).toBeGreaterThan(0);
    expect(usage?.outputTokens).toBeGreaterThan(20);
    expect(usage?.totalTokens).toBe((usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0));
    expect(usage?.cacheReadInputTokens).toBeUndefined();
    expect(response.metrics?.latencyMs).toBe(0);
    expect(simulator.calls).toEqual([expect.objectContaining({ operation: 'Converse', modelId: MODEL })]);
  });

  it('gives the same text for the same request, and a different one for another question', async () => {
    const first = await client.send(new ConverseCommand(question('What is a cache stampede?')));
    const second = await client.send(new ConverseCommand(question('What is a cache stampede?')));
    const other = await client.send(new ConverseCommand(question('What is write-through caching?')));
    const text = (response: typeof first) => response.output?.message?.content?.[0]?.text;
    expect(text(second)).toBe(text(first));
    expect(text(other)).not.toBe(text(first));
    expect(second.usage).toEqual(first.usage);
  });

  it('decodes inference-profile ids and ARNs from the path', async () => {
    const arn = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0';
    await client.send(
      new ConverseCommand({ ...question('Hi?'), modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0' }),
    );
    await client.send(new ConverseCommand({ ...question('Hi?'), modelId: arn }));
    expect(simulator.calls.map((call) => call.modelId)).toEqual([
      'us.anthropic.claude-sonnet-4-20250514-v1:0',
      arn,
    ]);
  });

  it('streams ConverseStream events that assemble into the same text as Converse', async () => {
    const input = question('Why do LLM caches need a key schema version?');
    const whole = await client.send(new ConverseCommand(input));
    const response = await client.send(new ConverseStreamCommand(input));
    const { names, events, text } = await collectConverseStream(response.stream);
    expect(names[0]).toBe('messageStart');
    expect(names.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    expect(names.filter((name) => name === 'contentBlockDelta').length).toBeGreaterThan(5);
    expect(text).toBe(whole.output?.message?.content?.[0]?.text);
    expect(events.at(-2)?.messageStop?.stopReason).toBe('end_turn');
    const metadata = events.at(-1)?.metadata;
    expect(metadata?.usage).toEqual(whole.usage);
    expect(metadata?.metrics?.latencyMs).toBe(0);
    expect(simulator.calls.at(-1)?.operation).toBe('ConverseStream');
  });

  it('truncates at inferenceConfig.maxTokens with stopReason max_tokens', async () => {
    const input = question('Explain cache invalidation strategies.');
    const full = await client.send(new ConverseCommand(input));
    const cut = await client.send(new ConverseCommand({ ...input, inferenceConfig: { maxTokens: 12 } }));
    const fullText = full.output?.message?.content?.[0]?.text ?? '';
    const cutText = cut.output?.message?.content?.[0]?.text ?? '';
    expect(cut.stopReason).toBe('max_tokens');
    // A model cut short has used its whole budget, as Bedrock reports it.
    expect(cut.usage?.outputTokens).toBe(12);
    expect(cutText.startsWith('[simulated] ')).toBe(true);
    expect(cutText.length).toBeLessThanOrEqual(48);
    expect(fullText.startsWith(cutText)).toBe(true);

    const streamed = await client.send(
      new ConverseStreamCommand({ ...input, inferenceConfig: { maxTokens: 12 } }),
    );
    const collected = await collectConverseStream(streamed.stream);
    expect(collected.text).toBe(cutText);
    expect(collected.events.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('max_tokens');

    const fifty = await client.send(
      new ConverseCommand({
        ...question('Tell me all about caching, at length.'),
        inferenceConfig: { maxTokens: 50 },
      }),
    );
    expect(fifty.stopReason).toBe('max_tokens');
    expect(fifty.usage?.outputTokens).toBe(50);
  });

  const weatherTool = {
    toolSpec: {
      name: 'get_weather',
      description: 'Current weather for a city',
      inputSchema: {
        json: {
          type: 'object',
          properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
          required: ['city', 'unit'],
        },
      },
    },
  };

  it('answers with a toolUse block when the last user message names a tool', async () => {
    const response = await client.send(
      new ConverseCommand(
        question('Use get_weather: is it raining in Paris?', { toolConfig: { tools: [weatherTool] } }),
      ),
    );
    expect(response.stopReason).toBe('tool_use');
    const toolUse = response.output?.message?.content?.find((block) => block.toolUse)?.toolUse;
    expect(toolUse?.name).toBe('get_weather');
    expect(toolUse?.toolUseId).toMatch(/^tooluse_/);
    expect(toolUse?.input).toEqual({
      city: expect.any(String),
      unit: expect.stringMatching(/celsius|fahrenheit/),
    });

    const streamed = await client.send(
      new ConverseStreamCommand(
        question('Use get_weather: is it raining in Paris?', { toolConfig: { tools: [weatherTool] } }),
      ),
    );
    const collected = await collectConverseStream(streamed.stream);
    const start = collected.events.find((event) => event.contentBlockStart)?.contentBlockStart;
    expect(start?.start?.toolUse).toEqual({ toolUseId: toolUse?.toolUseId, name: 'get_weather' });
    expect(JSON.parse(collected.toolInput)).toEqual(toolUse?.input);
    expect(collected.events.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('tool_use');

    // Sending the tool result back gives a normal text answer that quotes it.
    const followUp = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        toolConfig: { tools: [weatherTool] },
        messages: [
          { role: 'user', content: [{ text: 'Use get_weather: is it raining in Paris?' }] },
          { role: 'assistant', content: response.output?.message?.content ?? [] },
          {
            role: 'user',
            content: [{ toolResult: { toolUseId: toolUse?.toolUseId, content: [{ json: { rain: true } }] } }],
          },
        ],
      }),
    );
    expect(followUp.stopReason).toBe('end_turn');
    expect(followUp.output?.message?.content?.[0]?.text).toContain('{"rain":true}');
  });

  it('does not call a tool the prompt does not mention', async () => {
    const response = await client.send(
      new ConverseCommand(question('What is a cache key?', { toolConfig: { tools: [weatherTool] } })),
    );
    expect(response.stopReason).toBe('end_turn');
  });

  it('adds reasoning content when additionalModelRequestFields asks for thinking', async () => {
    const input = question('How do cache points reduce cost?', {
      modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    });
    const response = await client.send(new ConverseCommand(input));
    const reasoning = response.output?.message?.content?.[0]?.reasoningContent?.reasoningText;
    expect(reasoning?.text).toMatch(/^\[simulated\] /);
    expect(reasoning?.signature).toBeTruthy();
    expect(response.output?.message?.content?.[1]?.text).toMatch(/^\[simulated\] /);

    const streamed = await collectConverseStream(
      (await client.send(new ConverseStreamCommand(input))).stream,
    );
    expect(streamed.reasoning).toBe(reasoning?.text);
  });

  it('reports guardrail_intervened when a guardrail is set and the prompt says BLOCKED', async () => {
    const response = await client.send(
      new ConverseCommand(
        question('Tell me something BLOCKED please', {
          guardrailConfig: { guardrailIdentifier: 'gr-test', guardrailVersion: '1' },
        }),
      ),
    );
    expect(response.stopReason).toBe('guardrail_intervened');
    expect(response.output?.message?.content?.[0]?.text).toMatch(/^\[simulated\] /);
  });

  it('serves the SDK over HTTP/1.1 on the same port', async () => {
    const http1Client = createTestClient(url, { http1: true });
    try {
      const input = question('How does TTL work in Milvus?');
      const viaHttp1 = await http1Client.send(new ConverseCommand(input));
      const viaHttp2 = await client.send(new ConverseCommand(input));
      expect(viaHttp1.output).toEqual(viaHttp2.output);
      const streamed = await collectConverseStream(
        (await http1Client.send(new ConverseStreamCommand(input))).stream,
      );
      expect(streamed.text).toBe(viaHttp2.output?.message?.content?.[0]?.text);
    } finally {
      http1Client.destroy();
    }
  });

  it('serves plain fetch (HTTP/1.1) with the simulator header', async () => {
    const response = await fetch(`${url}/model/${encodeURIComponent(MODEL)}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'What is a TTL?' }] }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-bedrock-simulator')).toBe('true');
    const body = (await response.json()) as { output: { message: { content: Array<{ text: string }> } } };
    expect(body.output.message.content[0]?.text).toMatch(/^\[simulated\] /);
  });
});
