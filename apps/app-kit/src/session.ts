import { type BedrockSemanticOption, type ReplayPacing, withPromptCache } from '@prompt-cache/bedrock';
import { type CacheStore, createSensitiveDataGuard } from '@prompt-cache/core';
import { createPricing } from '@prompt-cache/pricing';
import type { IndexStorage, RedisIndexSource } from '@prompt-cache/semantic';
import { createMemoryStore } from '@prompt-cache/store-memory';
import type { AppSession, AskRequest } from './app-session.js';
import { askOnce, askStreaming } from './ask.js';
import { type ConverseInput, converseInputFor } from './converse-input.js';
import { connectModel, type ModelConnection } from './model-client.js';
import type { AppSettings } from './settings.js';
import { createStoreFromOptions, describeStore } from './store-from-options.js';

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
   * process), so that the next process serves paraphrases of what this one stored. Each namespace's index is kept
   * apart (`semantic-index.<embedder>.<namespace>.jsonl`, `<keyPrefix>{semantic.<namespace>}:...`): a session loads
   * its own namespace's prompts only. Default `true`; a memory store keeps it in memory whatever this says.
   */
  persistSemanticIndex?: boolean;
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
    semantic: settings.semantic ? await semanticOptionOf(store, options) : false,
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

/**
 * The semantic option of a session's cache: the given rule and embedder, and where the index is kept (its
 * namespace's own file or Redis keys).
 */
async function semanticOptionOf(store: CacheStore, options: SessionOptions): Promise<BedrockSemanticOption> {
  const keep = (options.persistSemanticIndex ?? true) && options.cache !== false;
  const { namespace } = options.settings;
  let persist: IndexStorage | undefined;
  if (keep && (store.name === 'file' || store.name === 'redis')) {
    // Loaded here, not at the top: a session without semantic matching never loads the package.
    const { fileIndex, redisIndex } = await import('@prompt-cache/semantic');
    persist =
      store.name === 'file'
        ? fileIndex(store as unknown as { directory: string }, { namespace })
        : redisIndex(store as unknown as RedisIndexSource, { namespace });
  }
  return { ...(persist ? { persist } : {}), ...options.semantic };
}
