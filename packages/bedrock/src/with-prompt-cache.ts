import {
  type CacheEntry,
  type CacheLock,
  type CacheStats,
  type CacheStore,
  type Clock,
  createPromptCache,
  type EncryptionOptions,
  InvalidOptionError,
  type KeyExplanation,
  type PromptCache,
} from '@prompt-cache/core';
import type { NormalizeOptions } from '@prompt-cache/core/store-kit';
import type { SemanticExplanation } from '@prompt-cache/semantic';
import { CACHE_WHEN_REFUSED, type CacheInfo } from './cache-info.js';
import {
  type BedrockCacheRequest,
  type CommandLike,
  cacheRequestOf,
  keyMaterialOf,
} from './cache-request.js';
import { notCacheableCode } from './cacheability.js';
import { createCachedSend } from './cached-send.js';
import { createDescribe, type PricingOption } from './entry-meta.js';
import { createPromptCacheMiddleware, MIDDLEWARE_NAME, MIDDLEWARE_OPTIONS } from './middleware.js';
import { BEDROCK_OPERATIONS, type BedrockOperation, isStreamingOperation } from './operations.js';
import type { RecordedResponse } from './recorded-response.js';
import { createResponseCodec } from './response-codec.js';
import {
  type BedrockSemantic,
  type BedrockSemanticOption,
  createBedrockSemantic,
} from './semantic-option.js';
import { installSendShortcut, type ShortcutClient } from './send-shortcut.js';
import { pacingFactor, type ReplayPacing, realSleep, type Sleep } from './stream-replay.js';
import { answerFromCache, type CachedAnswer } from './unary-send.js';

/** Options of {@link withPromptCache}. */
export interface BedrockCacheOptions {
  /** Where entries live, e.g. `createMemoryStore()`, `createFileStore(...)`, `createRedisStore(...)`. Required. */
  store: CacheStore;
  /**
   * Scope of the keys; caches in different namespaces never see each other's entries.
   * Letters, digits, `.`, `_` and `-`, up to 64 characters. Default `'bedrock'`.
   */
  namespace?: string;
  /** Version baked into every key; bump it to drop every entry of the namespace at once. Default `1`. */
  version?: number;
  /** How long an entry lives, in seconds; `0` means no expiry. Default `3600` (one hour). */
  ttlSeconds?: number;
  /**
   * Normalize prompt text before hashing (trim, collapse whitespace, fold case), so near-identical prompts
   * share an entry. Only `text` fields are normalized (`{ fields: ['text'] }` is always applied), never tool
   * names, JSON inputs or ids. `true` uses the core's defaults. Default `false`.
   */
  normalize?: boolean | Omit<NormalizeOptions, 'fields'>;
  /** With a secret, keys are HMAC-SHA-256, so key names reveal nothing about the prompts. Default: none (SHA-256). */
  secret?: string | Uint8Array;
  /**
   * Encrypt every stored answer with AES-256-GCM; keys carry ids so they can be rotated. Default: off.
   * @example encryption: encryptionOptionsFromEnv() // PROMPT_CACHE_ENCRYPTION_KEYS="id:base64key"
   */
  encryption?: EncryptionOptions;
  /**
   * Keep answers cut short by the token limit (`max_tokens`, `length`, `model_context_window_exceeded`). The limit
   * (`maxTokens`) is part of the key, so a truncated answer is the faithful answer to that exact request.
   * Default `true`; `false` returns such answers without storing them.
   */
  cacheTruncated?: boolean;
  /**
   * An extra rule on top of the built-in ones (which never store errors, partial or aborted streams, guardrail
   * interventions, filtered or malformed answers): return `false` to keep an answer out of the cache (counted and
   * reported as `cache_when`).
   * Default: every answer the built-in rules accept is stored.
   * @example cacheWhen: (response) => response.summary.usage?.outputTokens !== 0
   */
  cacheWhen?: (response: RecordedResponse, input: Record<string, unknown>) => boolean;
  /**
   * Returns a reason when a request or its answer must not be stored (e.g. it holds personal data); the answer is
   * still returned, and the skip is counted as `skippedSensitive`. Default: none.
   */
  guard?: (input: Record<string, unknown>, response?: RecordedResponse) => string | undefined;
  /** Largest encoded entry stored, in bytes; larger answers are returned but not stored. Default: no limit. */
  maxEntryBytes?: number;
  /**
   * Who answers (`'bedrock'`, `'simulator'`, or a name of your own). It is part of every key, so an answer is only
   * served to the same kind of upstream that produced it (a simulated answer never reaches a real Bedrock caller),
   * and it is kept in each entry's metadata.
   * Default: in the key, `'bedrock'` for a client on Bedrock's own endpoints and `'custom-endpoint'` for a client
   * given an `endpoint` (name the upstream when a custom endpoint is a real Bedrock one, such as a VPC endpoint);
   * in the metadata, `'simulator'` for answers that carry the simulator's `x-bedrock-simulator` header, else `'bedrock'`.
   */
  provider?: 'bedrock' | 'simulator' | (string & {});
  /**
   * Prices each answer, so hits report the dollars they saved: a pricing instance (`createPricing({ overrides })`)
   * or a function `(model, usage) => usd | null`. Cache reads and writes of Bedrock's own prompt cache are
   * priced too. Default: `costOf` from `@prompt-cache/pricing` (`null`, and one warning, for an unknown model).
   */
  pricing?: PricingOption;
  /**
   * How a cached stream is replayed: `'none'` (every event at once), `'original'` (the recorded timing), or a
   * speed factor (`2` = twice as fast as recorded). Default `'none'`.
   */
  replayPacing?: ReplayPacing;
  /** Called once per `client.send` with what the cache did (for a live stream: once it has ended). Errors it throws are counted, never raised. Default: none. */
  onResult?: (info: CacheInfo) => void;
  /** The operations to cache. Default: all four (`Converse`, `ConverseStream`, `InvokeModel`, `InvokeModelWithResponseStream`). */
  operations?: readonly BedrockOperation[];
  /** Time source for expiry; inject a fake one in tests instead of sleeping. Default: the system clock. */
  clock?: Clock;
  /** How paced replays wait; inject one in tests instead of sleeping. Default: `setTimeout`. */
  sleep?: Sleep;
  /** Longest wait for a store operation before the cache is skipped for that call. Default `1000` ms. */
  storeTimeoutMs?: number;
  /** Lock for single-flight across processes. Default: the store's own lock, if any; `false` turns it off. */
  lock?: CacheLock | false;
  /** Statistics to record into (share one between caches). Default: a new one. */
  stats?: CacheStats;
  /**
   * A second-stage lookup after an exact miss of a Converse or InvokeModel call (for example semantic matching;
   * see `converseKeyMaterial` for the scope and prompt of a request). Default: none.
   */
  fallback?: (request: BedrockCacheRequest, key: string) => Promise<CacheEntry | undefined>;
  /**
   * Answer a paraphrase of a cached Converse or ConverseStream prompt from its entry (needs `@prompt-cache/semantic`,
   * loaded on the first miss); a stream is replayed from the matched recording. Only the text of the last user
   * message is compared; everything else must be identical, the operation too (as in keys). `true`
   * uses the offline defaults; an object sets `threshold`, `margin`, `embedder`, ... Per call:
   * `withCacheControl(command, { semantic: false })`. Default `false`.
   * @example semantic: { threshold: 0.6 }
   */
  semantic?: BedrockSemanticOption;
}

/** A client whose middleware stack can take the cache: a `BedrockRuntimeClient`. */
export interface MiddlewareStackOwner {
  /** The client's resolved configuration; `isCustomEndpoint` tells Bedrock's own endpoints from a given `endpoint`. */
  config?: { isCustomEndpoint?: boolean };
  middlewareStack: {
    add(middleware: never, options: never): void;
    remove(toRemove: string): boolean;
    identify(): string[];
  };
}

/** What {@link withPromptCache} returns. */
export interface BedrockCacheController {
  /** The core cache behind the middleware: `invalidate`, `clear`, `snapshot` and the rest. */
  readonly cache: PromptCache<BedrockCacheRequest, RecordedResponse>;
  /** Hits, misses, errors and what was saved. */
  readonly stats: CacheStats;
  /** The key of a command (or of a bare input, see {@link cacheRequestOf}). */
  keyFor(commandOrInput: CommandLike | object, operation?: BedrockOperation): string;
  /** The canonical material behind a command's key, to see why two requests got different keys. */
  explain(commandOrInput: CommandLike | object, operation?: BedrockOperation): KeyExplanation;
  /**
   * Answers a Converse or InvokeModel call whose key is already known (from {@link keyFor}, or from the
   * `cacheInfo` of an earlier call) straight from the cache, without the SDK: the output `client.send` would
   * have returned on a hit, its `CacheInfo`, and the entry. The hit is counted and reported (`onResult`) as
   * one through `client.send`. `undefined` on a miss, which counts nothing: send the command as usual.
   */
  lookup(key: string): Promise<CachedAnswer | undefined>;
  /** The semantic stage, when `semantic` is on: `explain`, `flush`, and the loaded stage with its counters. */
  readonly semantic: BedrockSemantic | undefined;
  /** Why a Converse or ConverseStream command would or would not be answered semantically now: candidates, scores, verdicts. */
  explainSemantic(commandOrInput: CommandLike | object): Promise<SemanticExplanation>;
  /** Removes the entry of a command. */
  invalidate(commandOrInput: CommandLike | object, operation?: BedrockOperation): Promise<boolean>;
  /** Takes the middleware off the client; the client then sends every call to Bedrock. Safe to call twice. */
  remove(): void;
  /** {@link remove}, then flushes stats and closes the store. */
  close(): Promise<void>;
}

/**
 * Adds response caching to an unmodified `BedrockRuntimeClient` through its middleware stack. Existing code such as
 * `client.send(new ConverseCommand(input))` keeps working: identical requests are answered from the cache, streams are
 * recorded and replayed, and a broken store never fails a call.
 *
 * @example
 * const client = new BedrockRuntimeClient({ region: 'us-east-1' });
 * const cached = withPromptCache(client, { store: createMemoryStore() });
 * await client.send(new ConverseCommand(input)); // miss: Bedrock answers
 * await client.send(new ConverseCommand(input)); // hit: no network call
 * console.log(cached.stats.snapshot().savedUsd);
 * @throws {InvalidOptionError} for a missing store, a bad option, or a client that already has a prompt cache.
 */
export function withPromptCache(
  client: MiddlewareStackOwner,
  options: BedrockCacheOptions,
): BedrockCacheController {
  if (!client?.middlewareStack) {
    throw new InvalidOptionError(
      '[bedrock] withPromptCache needs a BedrockRuntimeClient (or any SDK client with a middlewareStack)',
    );
  }
  if (!options?.store) {
    throw new InvalidOptionError(
      '[bedrock] withPromptCache needs a store, e.g. { store: createMemoryStore() }',
    );
  }
  if (client.middlewareStack.identify().some((entry) => entry.startsWith(`${MIDDLEWARE_NAME} `))) {
    throw new InvalidOptionError(
      '[bedrock] this client already has a prompt cache; call remove() on the first controller before adding another',
    );
  }
  pacingFactor(options.replayPacing);
  const operations = new Set(options.operations ?? BEDROCK_OPERATIONS);
  for (const operation of operations) {
    if (!BEDROCK_OPERATIONS.includes(operation)) {
      throw new InvalidOptionError(
        `[bedrock] operations may only name ${BEDROCK_OPERATIONS.join(', ')}; got ${JSON.stringify(operation)}`,
      );
    }
  }

  const cacheTruncated = options.cacheTruncated ?? true;
  const upstream = options.provider ?? (client.config?.isCustomEndpoint ? 'custom-endpoint' : 'bedrock');
  const describe = createDescribe(options.pricing);
  const userCacheWhen = options.cacheWhen;
  const userGuard = options.guard;
  const fallback = options.fallback;
  const semantic = createBedrockSemantic(options.semantic ?? false);
  const cache = createPromptCache<BedrockCacheRequest, RecordedResponse>({
    store: options.store,
    namespace: options.namespace ?? 'bedrock',
    version: options.version,
    ttlSeconds: options.ttlSeconds,
    secret: options.secret,
    encryption: options.encryption,
    normalize: options.normalize
      ? { ...(options.normalize === true ? {} : options.normalize), fields: ['text'] }
      : undefined,
    select: (request) => ({ upstream, ...(keyMaterialOf(request) as object) }),
    codec: createResponseCodec(),
    describe,
    cacheWhen: (response, request) =>
      notCacheableCode(response, { cacheTruncated }) ??
      ((userCacheWhen?.(response, request.input) ?? true) || CACHE_WHEN_REFUSED),
    guard: userGuard ? (request, response) => userGuard(request.input, response) : undefined,
    maxEntryBytes: options.maxEntryBytes,
    clock: options.clock,
    storeTimeoutMs: options.storeTimeoutMs,
    lock: options.lock,
    stats: options.stats,
    // A fallback answers unary calls only: its entries are not recorded streams.
    fallback:
      fallback &&
      ((request, key) =>
        isStreamingOperation(request.operation) ? Promise.resolve(undefined) : fallback(request, key)),
    semantic,
  });

  const send = createCachedSend({
    cache,
    provider: options.provider,
    cacheTruncated,
    replayPacing: options.replayPacing ?? 'none',
    sleep: options.sleep ?? realSleep,
    onResult: options.onResult,
  });
  const middleware = createPromptCacheMiddleware(send, operations);
  client.middlewareStack.add(middleware as never, MIDDLEWARE_OPTIONS as never);
  const uninstallShortcut = installSendShortcut(client as ShortcutClient, send, operations);

  let attached = true;
  const remove = (): void => {
    if (!attached) return;
    attached = false;
    uninstallShortcut();
    client.middlewareStack.remove(MIDDLEWARE_NAME);
  };

  return {
    cache,
    stats: cache.stats,
    keyFor: (commandOrInput, operation) => cache.keyFor(cacheRequestOf(commandOrInput, operation)),
    explain: (commandOrInput, operation) => cache.explain(cacheRequestOf(commandOrInput, operation)),
    lookup: (key) => answerFromCache(send, key),
    semantic,
    async explainSemantic(commandOrInput) {
      // A ConverseStream command is explained in its own partitions; anything else as a Converse call.
      const named = cacheRequestOf(commandOrInput);
      const request: BedrockCacheRequest =
        named.operation === 'ConverseStream' ? named : { ...named, operation: 'Converse' };
      if (!semantic)
        return { reason: 'semantic matching is off (withPromptCache option semantic)', candidates: [] };
      return semantic.explain(request, cache.keyFor(request));
    },
    invalidate: (commandOrInput, operation) => cache.invalidate(cacheRequestOf(commandOrInput, operation)),
    remove,
    async close() {
      remove();
      await cache.close();
    },
  };
}
