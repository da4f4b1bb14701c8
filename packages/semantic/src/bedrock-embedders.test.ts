import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type BedrockSimulator, createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCohereEmbedder, createTitanEmbedder } from './bedrock-embedders.js';

let simulator: BedrockSimulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  simulator = createBedrockSimulator({ latency: 0 });
  const { url } = await simulator.listen({ port: 0 });
  client = new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await simulator?.close();
});

const upstream = (modelId: string) => simulator.calls.filter((call) => call.modelId === modelId).length;
const cosine = (one: ArrayLike<number>, other: ArrayLike<number>) => {
  let dot = 0;
  for (let index = 0; index < one.length; index++) dot += one[index]! * other[index]!;
  return dot;
};

const question = 'How do I configure the retention of logs in Milvus?';
const paraphrase = 'How can I configure log retention in Milvus?';
const unrelated = 'What is the best hydration for pizza dough?';

describe('Bedrock embedders through the real SDK client and the simulator', () => {
  it('Titan V2: one InvokeModel a text, the asked size, same text same vector, paraphrases closer', async () => {
    const embedder = createTitanEmbedder({ client, dimensions: 512 });
    expect(embedder).toMatchObject({ id: 'bedrock/amazon.titan-embed-text-v2:0/512', dimensions: 512 });
    const before = upstream('amazon.titan-embed-text-v2:0');
    const [first, second, third, again] = await embedder.embed([question, paraphrase, unrelated, question]);
    expect(upstream('amazon.titan-embed-text-v2:0') - before).toBe(4);
    expect([first, second, third].map((vector) => vector!.length)).toEqual([512, 512, 512]);
    expect(again).toEqual(first);
    expect(cosine(first!, second!)).toBeGreaterThan(cosine(first!, third!));
    expect(await embedder.embed([])).toEqual([]);
  });

  it('Cohere v3: one InvokeModel a batch of up to 96 texts, in order, and the id names the input type', async () => {
    const embedder = createCohereEmbedder({ client, modelId: 'cohere.embed-multilingual-v3' });
    expect(embedder).toMatchObject({
      id: 'bedrock/cohere.embed-multilingual-v3/1024/search_query',
      dimensions: 1024,
    });
    const before = upstream('cohere.embed-multilingual-v3');
    const texts = Array.from({ length: 100 }, (_, index) => (index === 99 ? question : `question ${index}`));
    const vectors = await embedder.embed(texts);
    expect(upstream('cohere.embed-multilingual-v3') - before).toBe(2);
    expect(vectors).toHaveLength(100);
    const [alone] = await embedder.embed([question]);
    expect(vectors[99]).toEqual(alone);
    expect(createCohereEmbedder({ client, inputType: 'clustering' }).id).toBe(
      'bedrock/cohere.embed-english-v3/1024/clustering',
    );
  });

  it('a refused body rejects with the ValidationException (the semantic stage then stays exact-only)', async () => {
    const tooLong = 'x'.repeat(2049);
    await expect(createCohereEmbedder({ client }).embed([tooLong])).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      createTitanEmbedder({ client, modelId: 'meta.llama3-8b-instruct-v1:0' }).embed(['hi']),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses bad options with a one-line message', () => {
    expect(() => createTitanEmbedder({} as never)).toThrow(/needs \{ client \}/);
    expect(() => createTitanEmbedder({ client, dimensions: 300 as never })).toThrow(/256, 512 or 1024/);
    expect(() => createCohereEmbedder({ client, inputType: 'query' as never })).toThrow(/inputType/);
    expect(() => createCohereEmbedder({ client, truncate: 'LEFT' as never })).toThrow(/truncate/);
  });

  it('a malformed answer is an error, never a wrong vector', async () => {
    const lying = { send: async () => ({ body: new TextEncoder().encode('{"embedding":[1,2]}') }) };
    await expect(createTitanEmbedder({ client: lying }).embed(['hi'])).rejects.toThrow(/1024 numbers/);
    const short = { send: async () => ({ body: new TextEncoder().encode('{"embeddings":[]}') }) };
    await expect(createCohereEmbedder({ client: short }).embed(['hi'])).rejects.toThrow(
      /one embedding per text/,
    );
  });
});
