import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockCacheController, BedrockOperation, CacheControl } from '@prompt-cache/bedrock';
import type { CacheStore, KeyExplanation, StatsSnapshot } from '@prompt-cache/core';
import type { ConverseInput } from './converse-input.js';
import type { ModelConnection, Provider } from './model-client.js';
import type { AppSettings } from './settings.js';
import type { StoreDescription } from './store-from-options.js';

// What a session offers, apart from how one is opened (session.ts), so that the ask functions can use the
// session without importing the module that builds it.

/** A prompt, or a full Converse input. */
export type AskRequest = string | ConverseCommandInput;

/**
 * Per-call options of {@link AppSession.ask}: bedrock's cache controls `mode` (`refresh` skips the read and
 * stores the fresh answer; `bypass` neither reads nor writes), `ttlSeconds` (`0` = no expiry; default: the
 * session's TTL) and `tags` (labels kept in the entry's metadata).
 */
export type AskOptions = Pick<CacheControl, 'mode' | 'ttlSeconds' | 'tags'>;

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
