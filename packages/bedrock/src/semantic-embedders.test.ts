import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  type BedrockRuntimeLike,
  createCohereEmbedder,
  createTitanEmbedder,
  type Embedder,
} from '@prompt-cache/semantic';
import { describe, expect, it } from 'vitest';
import { converseInput, countingStore, useCachedClients } from '../test/helpers.js';
import { cacheInfo } from './cache-info.js';
import { withPromptCache } from './with-prompt-cache.js';

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

  it('a paraphrase is served through semantic: { embedder: createTitanEmbedder({ client }) } on the same client', async () => {
    const client = harness.plainClient();
    const cached = withPromptCache(client, {
      store: countingStore(),
      semantic: { embedder: createTitanEmbedder({ client, dimensions: 256 }) },
    });
    const question = 'How do I configure the retention of logs in the Milvus server?';
    const first = await client.send(new ConverseCommand(converseInput(question)));
    await cached.semantic!.flush();
    const before = harness.server.calls().length;
    const second = await client.send(
      new ConverseCommand(converseInput('How can I configure the log retention of a Milvus server?')),
    );
    // One upstream call: the paraphrase's embedding; the answer itself came from the cache.
    expect(
      harness.server
        .calls()
        .slice(before)
        .map((call) => call.operation),
    ).toEqual(['InvokeModel']);
    expect(cacheInfo(second)).toMatchObject({ status: 'hit', semantic: { matchedPrompt: question } });
    expect(second.output).toEqual(first.output);
    expect((await cached.semantic!.loaded()).embedder.id).toBe('bedrock/amazon.titan-embed-text-v2:0/256');
  });
});
