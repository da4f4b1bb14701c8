// The cache both sides of the shared-index tests run: a Redis store and a semantic stage whose index lives in it.
import { createPromptCache } from '@prompt-cache/core';
import { createRedisStore, type RedisStoreOptions } from '@prompt-cache/store-redis';
import { createSemanticStage, redisIndex } from '../src/index.ts';
import { createWordHashEmbedder } from '../src/test-embedder.ts';

export interface Ask {
  model: string;
  prompt: string;
}

export const model = 'model-a';
export const original: Ask = {
  model,
  prompt: 'How do I configure the retention of logs in the Milvus server?',
};
export const paraphrase: Ask = { model, prompt: 'How do I configure logs retention in a Milvus server?' };

/** Where Redis is, as the tests pass it to a child process: a URL or the nodes of a Cluster. */
export type RedisTarget = { url: string } | { cluster: { nodes: Array<{ host: string; port: number }> } };

/** `namespace`: the index keeps that namespace's prompts under keys of their own (`redisIndex`'s option). */
export function openSharedIndexCache(target: RedisTarget, keyPrefix: string, namespace?: string) {
  const errors: string[] = [];
  const store = createRedisStore({ ...(target as RedisStoreOptions), keyPrefix, commandTimeoutMs: 5_000 });
  const stage = createSemanticStage<Ask>({
    split: (request) => ({ scope: { model: request.model }, text: request.prompt }),
    embedder: createWordHashEmbedder(),
    persist: namespace === undefined ? store : redisIndex(store, { namespace }),
    onError: (error) => errors.push(error.message),
  });
  const cache = createPromptCache<Ask, string>({ store, semantic: stage });
  const close = async () => {
    await stage.close();
    await store.close();
  };
  return { store, stage, cache, errors, close };
}
