import {
  type BedrockRuntimeLike,
  createCohereEmbedder,
  createTitanEmbedder,
  type Embedder,
} from '@prompt-cache/semantic';
import { describe, expect, it } from 'vitest';
import { useCachedClients } from '../test/helpers.js';

const harness = useCachedClients();

const invokeCalls = () => harness.server.calls().filter((call) => call.operation === 'InvokeModel').length;

describe("the semantic package's Bedrock embedders on a client wrapped with withPromptCache", () => {
  it.each([
    ['Titan Text Embeddings V2', (client: BedrockRuntimeLike) => createTitanEmbedder({ client })],
    ['Cohere Embed v3', (client: BedrockRuntimeLike) => createCohereEmbedder({ client })],
  ] as const)('%s: an identical second embedding never reaches the model', async (_name, create) => {
    const { client, store } = harness.cachedClient();
    const embedder: Embedder = create(client);
    const before = invokeCalls();
    const [first] = await embedder.embed(['How can I configure log retention in Milvus?']);
    expect(invokeCalls() - before).toBe(1);
    const [second] = await embedder.embed(['How can I configure log retention in Milvus?']);
    expect(invokeCalls() - before).toBe(1);
    expect(second).toEqual(first);
    expect(first).toHaveLength(embedder.dimensions);
    expect(await store.entries()).toBe(1);
    await embedder.embed(['Another question']);
    expect(invokeCalls() - before).toBe(2);
  });
});
