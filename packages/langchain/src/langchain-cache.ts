import { BaseCache, deserializeStoredGeneration, serializeGeneration } from '@langchain/core/caches';
import type { StoredGeneration } from '@langchain/core/messages';
import type { Generation } from '@langchain/core/outputs';
import {
  type CacheStats,
  type CacheStore,
  type Clock,
  createPromptCache,
  type EncryptionOptions,
  InvalidOptionError,
  type PromptCache,
} from '@prompt-cache/core';
import { cloneValue } from '@prompt-cache/core/store-kit';

export interface LangChainCacheOptions {
  /** Where generations are kept: any prompt-cache store (memory, file, Redis, Keyv, ...). */
  store: CacheStore;
  /** How long a generation stays, in seconds (`0` = no expiry). Default core's default (one day). */
  ttlSeconds?: number;
  /** Scope of the keys; caches in different namespaces never share entries. Default `'langchain'`. */
  namespace?: string;
  /** Encrypts generations at rest (AES-256-GCM). */
  encryption?: EncryptionOptions;
  /** HMAC secret for keys, so key names reveal nothing about prompts. */
  secret?: string | Uint8Array;
  /** Time source for expiry. Default the system clock. */
  clock?: Clock;
  /** Statistics to record into (share one across layers). Default: a new `CacheStats`. */
  stats?: CacheStats;
}

/** What LangChain keys a cached generation by: the prompt text and the model with its settings. */
export interface LangChainCacheRequest {
  prompt: string;
  llmKey: string;
}

/**
 * A LangChain.js cache (`BaseCache`) over any prompt-cache store: `new ChatBedrockConverse({ cache })`.
 * Messages come back as messages (LangChain's own `serializeGeneration`/`deserializeStoredGeneration`).
 *
 * LangChain builds the lookup from the prompt's text alone, so calls that differ only in an image share an answer,
 * and `stream()` never asks the cache. For Bedrock chat models, cache the client instead (see the README).
 */
export class PromptCacheLangChainCache extends BaseCache<Generation[]> {
  /** The cache behind it: `stats`, `invalidate`, `clear` and the rest. */
  readonly cache: PromptCache<LangChainCacheRequest, StoredGeneration[]>;
  // When each missed lookup began, so that `update` can count the miss with the time the model took.
  readonly #missedAt = new Map<string, number>();

  constructor(options: LangChainCacheOptions) {
    super();
    if (!options?.store) {
      throw new InvalidOptionError(
        '[langchain] PromptCacheLangChainCache needs a store, e.g. { store: createMemoryStore() }',
      );
    }
    // Every option is core's own, under the same name; only the namespace has a default of its own.
    this.cache = createPromptCache<LangChainCacheRequest, StoredGeneration[]>({
      ...options,
      namespace: options.namespace ?? 'langchain',
    });
  }

  async lookup(prompt: string, llmKey: string): Promise<Generation[] | null> {
    const key = this.cache.keyFor({ prompt, llmKey });
    const hit = await this.cache.lookup(key);
    if (!hit) {
      this.#missedAt.set(key, performance.now());
      return null;
    }
    // A copy: LangChain fills in fields of the messages it gets, and the entry's value is shared and frozen.
    return cloneValue(hit.value).map((stored) => deserializeStoredGeneration(stored));
  }

  async update(prompt: string, llmKey: string, value: Generation[]): Promise<void> {
    const request = { prompt, llmKey };
    const key = this.cache.keyFor(request);
    const started = this.#missedAt.get(key);
    this.#missedAt.delete(key);
    const latencyMs = started === undefined ? 0 : performance.now() - started;
    const meta = { latencyMs };
    if (started !== undefined) this.cache.stats.recordMiss(key, latencyMs, meta);
    await this.cache.set(key, value.map(serializeGeneration), { request, meta });
  }
}
