import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import {
  type BedrockCacheController,
  type BedrockOperation,
  type BedrockSemanticOption,
  type ReplayPacing,
  withPromptCache,
} from '@prompt-cache/bedrock';
import {
  type CacheStore,
  createSensitiveDataGuard,
  type KeyExplanation,
  type StatsSnapshot,
} from '@prompt-cache/core';
import { createPricing } from '@prompt-cache/pricing';
import type { IndexStorageSource } from '@prompt-cache/semantic';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { askOnce, askStreaming } from './ask.js';
import { type ConverseInput, converseInputFor } from './converse-input.js';
import { connectModel, type ModelConnection, type Provider } from './model-client.js';
import type { AppSettings } from './settings.js';
import { createStoreFromOptions, describeStore, type StoreDescription } from './store-from-options.js';

/** Options of {@link openSession}. */
export interface SessionOptions {
  /** Settings from flags and environment (`resolveSettings`). Required. */
  settings: AppSettings;
  /** The store to use. Default: the one `settings` describe (`createStoreFromOptions(settings)`). */
  store?: CacheStore;
  /**
   * `false` answers every call without the cache (a `--no-cache` run): no store is opened (a throwaway memory
   * store stands in) and every call is a bypass. Default `true`.
   */
  cache?: boolean;
  /** An existing model connection. Default: one made from `settings` (`connectModel`). */
  connection?: ModelConnection;
  /** Called once per model that has no price (its cost is then `null`). Default: nothing. */
  onUnknownModel?: (model: string) => void;
  /** How a cached stream is replayed. Default `'none'` (every event at once). */
  replayPacing?: ReplayPacing;
  /**
   * The decision rule and embedder of semantic matching, used when `settings.semantic` is on (a threshold, or a
   * deterministic embedder in tests). Default: `@prompt-cache/semantic`'s defaults (the offline USE lite embedder).
   */
  semantic?: Exclude<BedrockSemanticOption, boolean>;
  /**
   * Keep the semantic index with a file store (a file beside the entries) or a Redis store (shared by every
   * process), so that the next process serves paraphrases of what this one stored. Default `true`; a memory store
   * keeps it in memory whatever this says.
   */
  persistSemanticIndex?: boolean;
}

/** A prompt, or a full Converse input. */
export type AskRequest = string | ConverseCommandInput;

/** Per-call options of {@link AppSession.ask}. */
export interface AskOptions {
  /** `refresh` skips the read and stores the fresh answer; `bypass` neither reads nor writes. Default `default`. */
  mode?: 'default' | 'refresh' | 'bypass';
  /** TTL of this call's entry in seconds; `0` = no expiry. Default: the session's TTL. */
  ttlSeconds?: number;
  /** Labels kept in the entry's metadata. Default none. */
  tags?: string[];
}

/** Token counts of one call. */
export interface AskUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** What the cache did for one ask, in one word: a semantic hit is a hit answered by another prompt's entry. */
export type CacheOutcome = 'hit' | 'semantic-hit' | 'miss' | 'bypass';

/** What one ask returned: the answer and what the cache did. */
export interface AskResult {
  /** True when the answer came from the cache (no model call). */
  cached: boolean;
  status: 'hit' | 'miss' | 'bypass';
  /** `status`, with a semantic hit told apart from an exact one. */
  cache: CacheOutcome;
  /** On a semantic hit: how close the cached prompt is (0..1); `null` otherwise. */
  similarity: number | null;
  /** On a semantic hit: the cached prompt whose answer this is; `null` otherwise. */
  matchedPrompt: string | null;
  /** On a semantic hit: the key of the entry that answered (`key` is this request's own); `null` otherwise. */
  matchedKey: string | null;
  /** The cache key of the request (also for a bypass, so it can be looked up). */
  key: string;
  /** The answer's text. */
  text: string;
  model: string;
  /** Who produced the answer (for a hit: who answered originally). */
  provider: Provider;
  /** Tokens of the model call (for a hit: of the original call); `null` when the answer reported none. */
  usage: AskUsage | null;
  /** What this call cost in USD: `0` for a hit, `null` when the model's price is unknown. */
  costUsd: number | null;
  /** What this call saved in USD (the original call's cost, for a hit); `0` otherwise. */
  savedUsd: number;
  /** What this call saved in ms (the original latency minus this one, for a hit); `0` otherwise. */
  savedMs: number;
  /** How long this call took, in ms (a stream: until its last event). */
  latencyMs: number;
  /** How long the original model call took, in ms, when known. */
  originalLatencyMs: number | undefined;
  /** Whether the answer is in the cache now. */
  stored: boolean;
  /** Why a miss was not stored, in words. */
  notStoredReason: string | undefined;
  /** Why a miss was not stored, in one word (`guardrail_intervened`, `max_tokens`, `bypass`, ...). */
  notStoredCode: string | undefined;
  stopReason: string | undefined;
  /** Labels kept with the entry (for a hit: those its writer gave). */
  tags: string[] | undefined;
}

/** A streaming ask: the text as it arrives, then the result. */
export interface AskStream {
  /** Text deltas as they arrive (a hit replays the recorded ones). Iterate it to the end before awaiting `result`. */
  text: AsyncIterable<string>;
  /** Resolves once the stream has ended. */
  result: Promise<AskResult>;
}

/** A cache error the cache counted and skipped (the model call still answered). */
export interface CacheErrorEvent {
  operation: string;
  error: unknown;
  key?: string;
}

/** A cached Bedrock client with the session's store, settings and provider. */
export interface AppSession {
  readonly settings: AppSettings;
  readonly provider: Provider;
  /** The one-line notice of `--provider auto`, when it chose; `undefined` otherwise. */
  readonly notice: string | undefined;
  readonly store: CacheStore;
  readonly storeDescription: StoreDescription;
  /** True unless the session was opened with `cache: false`. */
  readonly cacheEnabled: boolean;
  readonly controller: BedrockCacheController;
  readonly connection: ModelConnection;
  /** The Converse input of a prompt or input, with the session's model filled in. */
  inputOf(request: AskRequest): ConverseInput;
  /** Asks through the cache. A cache failure never fails the call; it is reported through {@link onCacheError}. */
  ask(request: AskRequest, options?: AskOptions): Promise<AskResult>;
  /** Asks with ConverseStream; a hit replays the recorded stream. */
  askStream(request: AskRequest, options?: AskOptions): AskStream;
  /** The key of a request (`Converse` by default; streams are cached under their own keys). */
  keyFor(request: AskRequest, operation?: BedrockOperation): string;
  /** The canonical material behind a request's key. */
  explain(request: AskRequest, operation?: BedrockOperation): KeyExplanation;
  /** Removes a request's entry. */
  invalidate(request: AskRequest, operation?: BedrockOperation): Promise<boolean>;
  /** The cost of a call in USD, `null` for a model without a price. */
  costOf(model: string, usage: AskUsage): number | null;
  /** This process's statistics. */
  localStats(): StatsSnapshot;
  /** The store's shared statistics (file, Redis: every process and run), else this process's. */
  sharedStats(): Promise<StatsSnapshot>;
  /** Listens for cache errors (unreachable Redis, unwritable directory, corrupt entry). Returns the unsubscribe. */
  onCacheError(listener: (event: CacheErrorEvent) => void): () => void;
  /** Flushes stats, closes the store, the client and the in-process simulator. */
  close(): Promise<void>;
}

/**
 * Opens a session: the store, the model client (Bedrock or the in-process simulator) and the cache middleware.
 * @example
 * const session = await openSession({ settings: resolveSettings({ cacheType: 'memory' }) });
 * const result = await session.ask('What is a TTL?');
 * console.log(result.cached, result.text);
 * await session.close();
 */
export async function openSession(options: SessionOptions): Promise<AppSession> {
  const { settings } = options;
  const cacheEnabled = options.cache ?? true;
  const store = cacheEnabled ? (options.store ?? createStoreFromOptions(settings)) : createMemoryStore();
  let connection: ModelConnection;
  try {
    connection =
      options.connection ??
      (await connectModel({
        provider: settings.provider,
        ...(settings.region === undefined ? {} : { region: settings.region }),
        ...(settings.simulatorLatencyMs === undefined
          ? {}
          : { simulatorLatencyMs: settings.simulatorLatencyMs }),
      }));
  } catch (error) {
    await store.close?.().catch(() => undefined);
    throw error;
  }
  const onUnknownModel = options.onUnknownModel;
  const pricing = createPricing({ onUnknownModel: (model) => onUnknownModel?.(model) });
  const { protection } = settings;
  const controller = withPromptCache(connection.client, {
    store,
    namespace: settings.namespace,
    ttlSeconds: settings.ttlSeconds,
    encryption: protection.encryption,
    secret: protection.keySecret,
    guard: protection.sensitiveGuard ? createSensitiveDataGuard() : undefined,
    maxEntryBytes: protection.maxEntryBytes,
    pricing,
    replayPacing: options.replayPacing ?? 'none',
    // Part of every key: a simulated answer is never served once real Bedrock answers, nor the other way round.
    provider: connection.provider,
    semantic: settings.semantic ? semanticOptionOf(store, options) : false,
  });

  const inputOf = (request: AskRequest): ConverseInput =>
    typeof request === 'string'
      ? converseInputFor(request, { model: settings.model })
      : { ...request, modelId: request.modelId ?? settings.model };

  const session: AppSession = {
    settings,
    provider: connection.provider,
    notice: connection.notice,
    store,
    storeDescription: describeStore(store),
    cacheEnabled,
    controller,
    connection,
    inputOf,
    ask: (request, call = {}) =>
      askOnce({ session, input: inputOf(request), call: cacheEnabled ? call : { ...call, mode: 'bypass' } }),
    askStream: (request, call = {}) =>
      askStreaming({
        session,
        input: inputOf(request),
        call: cacheEnabled ? call : { ...call, mode: 'bypass' },
      }),
    keyFor: (request, operation = 'Converse') => controller.keyFor(inputOf(request), operation),
    explain: (request, operation = 'Converse') => controller.explain(inputOf(request), operation),
    invalidate: (request, operation = 'Converse') => controller.invalidate(inputOf(request), operation),
    costOf: (model, usage) => pricing.costOf(model, usage),
    localStats: () => controller.stats.snapshot(),
    sharedStats: () => controller.cache.snapshot('shared'),
    // The stats report a failed model call as an error too (operation `compute`): that is the caller's error,
    // thrown to it, not a cache failure.
    onCacheError: (listener) =>
      controller.stats.on('error', (event) => {
        if (event.operation !== 'compute') listener(event);
      }),
    async close() {
      await controller.close().catch(() => undefined);
      await connection.close();
    },
  };
  return session;
}

/** The semantic option of a session's cache: the given rule and embedder, and where the index is kept. */
function semanticOptionOf(store: CacheStore, options: SessionOptions): BedrockSemanticOption {
  const keep =
    (options.persistSemanticIndex ?? true) &&
    options.cache !== false &&
    (store.name === 'file' || store.name === 'redis');
  // A file or Redis store is its own index storage: `persist` tells them apart by `name`.
  return { ...(keep ? { persist: store as unknown as IndexStorageSource } : {}), ...options.semantic };
}
