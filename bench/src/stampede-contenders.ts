import KeyvRedis from '@keyv/redis';
import { InMemoryCache } from '@langchain/core/caches';
import { createPromptCache } from '@prompt-cache/core';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { createRedisStore } from '@prompt-cache/store-redis';
import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { type ConverseRequest, type ConverseResponse, textResponse } from './fixtures.js';
import { answerText, chatModelFor, toLangChainMessages } from './peers/langchain-messages.js';
import { createLangChainRedisCache } from './peers/redis-peers.js';
import { requestKey } from './request-key.js';

export const STAMPEDE_LIBRARIES = ['prompt-cache', 'keyv', 'cache-manager', 'langchain'] as const;
export type StampedeLibrary = (typeof STAMPEDE_LIBRARIES)[number];

/** Where a library keeps its entries: its own process, or a Redis every process shares. */
export type StampedeBackend = { kind: 'memory' } | { kind: 'redis'; url: string };

/** How each library is used for an LLM call, in the words of its docs. */
export const STAMPEDE_USAGE: Record<StampedeLibrary, { memory: string; redis: string }> = {
  'prompt-cache': {
    memory: 'cache.getOrCompute(request, callModel), memory store',
    redis: 'cache.getOrCompute(request, callModel), Redis store (its lock is on by default)',
  },
  keyv: {
    memory: 'await keyv.get(key) ?? (callModel, then keyv.set), as its README shows',
    redis: 'the same get / set over @keyv/redis',
  },
  'cache-manager': {
    memory: 'cache.wrap(key, callModel)',
    redis: 'cache.wrap(key, callModel) with a Keyv(@keyv/redis) store',
  },
  langchain: {
    memory: 'chatModel.invoke(messages) with cache: new InMemoryCache()',
    redis: 'chatModel.invoke(messages) with cache: new RedisCache(new Redis(url))',
  },
};

/** The slow model every library calls: counts its calls and answers after `delayMs`. */
export function createSlowModel(answer: string, delayMs: number) {
  const model = {
    calls: 0,
    async call(): Promise<ConverseResponse> {
      model.calls++;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return textResponse(answer);
    },
  };
  return model;
}

export interface StampedeContender {
  /** One caller's LLM call; resolves to the answer text it got. */
  ask(): Promise<string>;
  close(): Promise<void>;
}

/**
 * One library, set up for one request the way its docs recommend for an LLM call, in front of `callModel`.
 * `namespace` keeps the runs of one benchmark apart on a shared Redis.
 */
export function createStampedeContender(
  library: StampedeLibrary,
  backend: StampedeBackend,
  request: ConverseRequest,
  callModel: () => Promise<ConverseResponse>,
  namespace: string,
): StampedeContender {
  const key = requestKey(request);
  switch (library) {
    case 'prompt-cache': {
      const store =
        backend.kind === 'memory'
          ? createMemoryStore()
          : createRedisStore({ url: backend.url, keyPrefix: `${namespace}:` });
      const cache = createPromptCache<ConverseRequest, ConverseResponse>({ store });
      return {
        ask: async () => answerText((await cache.getOrCompute(request, callModel)).value),
        close: () => cache.close(),
      };
    }
    case 'keyv': {
      const keyv =
        backend.kind === 'memory'
          ? new Keyv<ConverseResponse>()
          : new Keyv<ConverseResponse>({ store: new KeyvRedis(backend.url), namespace });
      return {
        ask: async () => {
          let response = await keyv.get(key);
          if (!response) {
            response = await callModel();
            await keyv.set(key, response);
          }
          return answerText(response);
        },
        close: () => keyv.disconnect(),
      };
    }
    case 'cache-manager': {
      const cache =
        backend.kind === 'memory'
          ? createCache()
          : createCache({
              // cache-manager 7 types its stores with the keyv 5 it depends on; a keyv 6 instance works the same.
              stores: [new Keyv({ store: new KeyvRedis(backend.url), namespace }) as never],
            });
      return {
        ask: async () => answerText(await cache.wrap(key, callModel)),
        close: async () => {
          await cache.disconnect();
        },
      };
    }
    case 'langchain': {
      const redis = backend.kind === 'redis' ? createLangChainRedisCache(backend.url) : undefined;
      const chatModel = chatModelFor(request, {
        cache: redis?.cache ?? new InMemoryCache(),
        respond: async () => answerText(await callModel()),
      });
      const messages = toLangChainMessages(request);
      return {
        ask: async () => String((await chatModel.invoke(messages)).content),
        close: async () => {
          await redis?.close();
        },
      };
    }
  }
}
