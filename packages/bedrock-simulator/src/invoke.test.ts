import {
  type BedrockRuntimeClient,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInvokeStream, createTestClient } from '../test/helpers.js';
import { type BedrockSimulator, createBedrockSimulator } from './simulator.js';

function invoke(modelId: string, body: unknown, extra: { guardrailIdentifier?: string } = {}) {
  return new InvokeModelCommand({
    modelId,
    contentType: 'application/json',
    accept: 'application/json',
    body: new TextEncoder().encode(JSON.stringify(body)),
    ...(extra.guardrailIdentifier
      ? { guardrailIdentifier: extra.guardrailIdentifier, guardrailVersion: '1' }
      : {}),
  });
}

function decode(body: Uint8Array | undefined): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(body));
}

const CLAUDE = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const NOVA = 'amazon.nova-lite-v1:0';
const TITAN = 'amazon.titan-text-express-v1';
const EMBED = 'amazon.titan-embed-text-v2:0';
const COHERE = 'cohere.embed-english-v3';

describe('InvokeModel and InvokeModelWithResponseStream through the real AWS SDK', () => {
  let simulator: BedrockSimulator;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    simulator = createBedrockSimulator({ latency: 0 });
    const { url } = await simulator.listen({ port: 0 });
    client = createTestClient(url);
  });

  afterAll(async () => {
    client.destroy();
    await simulator.close();
  });

  it('answers Nova native bodies', async () => {
    const response = await client.send(
      invoke(NOVA, {
        messages: [{ role: 'user', content: [{ text: 'What is semantic caching?' }] }],
        inferenceConfig: { max_new_tokens: 500 },
      }),
    );
    expect(response.contentType).toBe('application/json');
    const body = decode(response.body) as {
      output: { message: { role: string; content: Array<{ text: string }> } };
      stopReason: string;
      usage: Record<string, number>;
    };
    expect(body.output.message.role).toBe('assistant');
    expect(body.output.message.content[0]?.text).toMatch(/^\[simulated\] .*semantic caching/);
    expect(body.stopReason).toBe('end_turn');
    expect(body.usage).toMatchObject({
      inputTokens: expect.any(Number),
      outputTokens: expect.any(Number),
      totalTokens: expect.any(Number),
      cacheReadInputTokenCount: 0,
      cacheWriteInputTokenCount: 0,
    });
  });

  it('answers Claude (Anthropic messages API) bodies and truncates at max_tokens', async () => {
    const request = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 1000,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'How do I pick a TTL for an LLM cache?' }],
    };
    const body = decode((await client.send(invoke(CLAUDE, request))).body) as {
      id: string;
      type: string;
      role: string;
      model: string;
      content: Array<{ type: string; text: string }>;
      stop_reason: string;
      usage: { input_tokens: number; output_tokens: number };
    };
    expect(body).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn' });
    expect(body.id).toMatch(/^msg_bdrk_/);
    expect(body.model).toBe('claude-3-5-haiku-20241022');
    expect(body.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^\[simulated\] /) });
    expect(body.usage.input_tokens).toBeGreaterThan(0);
    expect(body.usage.output_tokens).toBeGreaterThan(0);

    const cut = decode(
      (await client.send(invoke(CLAUDE, { ...request, max_tokens: 8 }))).body,
    ) as typeof body;
    expect(cut.stop_reason).toBe('max_tokens');
    expect(body.content[0]?.text.startsWith(cut.content[0]?.text ?? '?')).toBe(true);
  });

  it('answers Claude tool use and extended thinking in the native shape', async () => {
    const body = decode(
      (
        await client.send(
          invoke(CLAUDE, {
            anthropic_version: 'bedrock-2023-05-31',
            max_tokens: 2000,
            thinking: { type: 'enabled', budget_tokens: 1024 },
            tools: [
              {
                name: 'lookup_price',
                description: 'Price of a model',
                input_schema: { type: 'object', properties: { model: { type: 'string' } } },
              },
            ],
            messages: [
              { role: 'user', content: [{ type: 'text', text: 'Call lookup_price for Nova Lite' }] },
            ],
          }),
        )
      ).body,
    ) as { content: Array<Record<string, unknown>>; stop_reason: string };
    expect(body.stop_reason).toBe('tool_use');
    expect(body.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(body.content[2]).toMatchObject({
      name: 'lookup_price',
      id: expect.stringMatching(/^toolu_bdrk_/),
      input: { model: expect.any(String) },
    });
  });

  it('answers Titan Text bodies', async () => {
    const body = decode(
      (
        await client.send(
          invoke(TITAN, { inputText: 'What is an LRU cache?', textGenerationConfig: { maxTokenCount: 512 } }),
        )
      ).body,
    ) as {
      inputTextTokenCount: number;
      results: Array<{ tokenCount: number; outputText: string; completionReason: string }>;
    };
    expect(body.inputTextTokenCount).toBeGreaterThan(0);
    expect(body.results[0]).toMatchObject({
      completionReason: 'FINISH',
      outputText: expect.stringMatching(/^\[simulated\] /),
    });
    expect(body.results[0]?.tokenCount).toBeGreaterThan(0);
  });

  it('answers Titan embeddings deterministically, with similar texts closer than unrelated ones', async () => {
    const embed = async (inputText: string, extra: Record<string, unknown> = {}) =>
      decode((await client.send(invoke(EMBED, { inputText, ...extra }))).body) as {
        embedding: number[];
        inputTextTokenCount: number;
      };
    const first = await embed('How does TTL work in Milvus?');
    const again = await embed('How does TTL work in Milvus?');
    const paraphrase = await embed('How does Milvus use TTL?');
    const unrelated = await embed('Best pizza dough hydration');
    expect(first.embedding).toHaveLength(1024);
    expect(again.embedding).toEqual(first.embedding);
    expect(first.inputTextTokenCount).toBeGreaterThan(0);
    const dot = (a: number[], b: number[]) =>
      a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
    expect(dot(first.embedding, first.embedding)).toBeCloseTo(1, 3);
    expect(dot(first.embedding, paraphrase.embedding)).toBeGreaterThan(
      dot(first.embedding, unrelated.embedding),
    );
    expect((await embed('short', { dimensions: 256 })).embedding).toHaveLength(256);
  });

  it('answers Cohere Embed v3 batches deterministically, in the order of the texts', async () => {
    const embed = async (body: Record<string, unknown>, model = COHERE) =>
      decode((await client.send(invoke(model, body))).body) as {
        embeddings: number[][];
        id: string;
        response_type: string;
        texts: string[];
      };
    const texts = ['How does TTL work in Milvus?', 'How does Milvus use TTL?', 'Best pizza dough hydration'];
    const first = await embed({ texts, input_type: 'search_query', truncate: 'END' });
    expect(first.response_type).toBe('embeddings_floats');
    expect(first.texts).toEqual(texts);
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(first.embeddings.map((vector) => vector.length)).toEqual([1024, 1024, 1024]);
    const [question, paraphrase, unrelated] = first.embeddings as [number[], number[], number[]];
    const dot = (a: number[], b: number[]) =>
      a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
    expect(dot(question, paraphrase)).toBeGreaterThan(dot(question, unrelated));
    // One text alone, another model of the family: the same vector for the same text.
    const alone = await embed(
      { texts: [texts[1]], input_type: 'search_query' },
      'cohere.embed-multilingual-v3',
    );
    expect(alone.embeddings[0]).toEqual(paraphrase);
    const byType = (await embed({
      texts: ['one'],
      input_type: 'search_document',
      embedding_types: ['float'],
    })) as unknown as { embeddings: { float: number[][] }; response_type: string };
    expect(byType.response_type).toBe('embeddings_by_type');
    expect(byType.embeddings.float[0]).toHaveLength(1024);
    const streamed = await client
      .send(
        new InvokeModelWithResponseStreamCommand({
          modelId: COHERE,
          contentType: 'application/json',
          body: new TextEncoder().encode(JSON.stringify({ texts: ['x'], input_type: 'search_query' })),
        }),
      )
      .catch((caught) => caught);
    expect(streamed).toBeInstanceOf(ValidationException);
  });

  it.each([
    ['no texts', { input_type: 'search_query' }, /required key \[texts\]/],
    ['texts not a list', { texts: 'hello', input_type: 'search_query' }, /#\/texts: expected type/],
    ['a text not a string', { texts: ['ok', 3], input_type: 'search_query' }, /#\/texts\/1/],
    ['no input_type', { texts: ['hello'] }, /required key \[input_type\]/],
    ['an unknown input_type', { texts: ['hello'], input_type: 'query' }, /input_type/],
    ['an unknown truncate', { texts: ['hello'], input_type: 'search_query', truncate: 'LEFT' }, /truncate/],
    ['97 texts', { texts: Array(97).fill('x'), input_type: 'search_query' }, /maximum item count: 96/],
    [
      'a text of 2049 characters',
      { texts: ['x'.repeat(2049)], input_type: 'search_query' },
      /maxLength: 2048/,
    ],
    [
      'int8 embeddings',
      { texts: ['x'], input_type: 'search_query', embedding_types: ['int8'] },
      /not simulated/,
    ],
  ])('rejects a Cohere Embed body with %s: a 400 ValidationException', async (_case, body, message) => {
    const error = await client.send(invoke(COHERE, body)).catch((caught) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(message);
  });

  it('rejects Titan embedding bodies without text or with an unknown size', async () => {
    for (const [body, message] of [
      [{}, /required key \[inputText\]/],
      [{ inputText: 'hi', dimensions: 300 }, /dimensions: 300 is not a valid enum value/],
      [{ inputText: 42 }, /inputText: expected type: String/],
    ] as const) {
      const error = await client.send(invoke(EMBED, body)).catch((caught) => caught);
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toMatch(message);
    }
  });

  it('rejects an unknown model family with a ValidationException', async () => {
    const error = await client
      .send(invoke('meta.llama3-8b-instruct-v1:0', { prompt: 'hi' }))
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('rejects a Claude body without max_tokens the way Bedrock does', async () => {
    const error = await client
      .send(
        invoke(CLAUDE, {
          anthropic_version: 'bedrock-2023-05-31',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      )
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain('required key [max_tokens] not found');
  });

  it('streams Claude chunks ending with invocation metrics', async () => {
    const request = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'Why cache LLM responses?' }],
    };
    const whole = decode((await client.send(invoke(CLAUDE, request))).body) as {
      content: Array<{ text: string }>;
    };
    const response = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: CLAUDE,
        contentType: 'application/json',
        body: new TextEncoder().encode(JSON.stringify(request)),
      }),
    );
    const chunks = await collectInvokeStream(response.body);
    const types = chunks.map((chunk) => chunk.type);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    const text = chunks
      .filter((chunk) => chunk.type === 'content_block_delta')
      .map((chunk) => (chunk.delta as { text: string }).text)
      .join('');
    expect(text).toBe(whole.content[0]?.text);
    expect(chunks.at(-1)?.['amazon-bedrock-invocationMetrics']).toMatchObject({
      inputTokenCount: expect.any(Number),
      outputTokenCount: expect.any(Number),
    });
  });

  it('streams Nova and Titan native chunks', async () => {
    const nova = await collectInvokeStream(
      (
        await client.send(
          new InvokeModelWithResponseStreamCommand({
            modelId: NOVA,
            body: new TextEncoder().encode(
              JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'What is Redis?' }] }] }),
            ),
          }),
        )
      ).body,
    );
    expect(Object.keys(nova[0] ?? {})).toEqual(['messageStart']);
    expect(nova.some((chunk) => 'contentBlockDelta' in chunk)).toBe(true);
    expect(nova.at(-2)).toEqual({ messageStop: { stopReason: 'end_turn' } });
    expect(nova.at(-1)).toHaveProperty('metadata.usage.inputTokens');

    const titan = await collectInvokeStream(
      (
        await client.send(
          new InvokeModelWithResponseStreamCommand({
            modelId: TITAN,
            body: new TextEncoder().encode(JSON.stringify({ inputText: 'What is Redis?' })),
          }),
        )
      ).body,
    );
    expect(titan.map((chunk) => chunk.outputText).join('')).toMatch(/^\[simulated\] /);
    expect(titan.at(-1)).toMatchObject({
      completionReason: 'FINISH',
      'amazon-bedrock-invocationMetrics': expect.any(Object),
    });
  });

  it('marks a guarded InvokeModel whose prompt says BLOCKED', async () => {
    const body = decode(
      (
        await client.send(
          invoke(
            NOVA,
            { messages: [{ role: 'user', content: [{ text: 'say BLOCKED' }] }] },
            { guardrailIdentifier: 'gr-1' },
          ),
        )
      ).body,
    );
    expect(body.stopReason).toBe('content_filtered');
    expect(body['amazon-bedrock-guardrailAction']).toBe('INTERVENED');
  });
});
