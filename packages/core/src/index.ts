// The user's surface: the orchestrator, its options and results, the store and entry types, keys, stats, errors.
// What store and adapter authors need besides (entry formats, TTL parsing, value copies) is in `./store-kit`.
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { Codec } from './codec.js';
export { type EncryptionOptions, encryptionOptionsFromEnv } from './encryption-codec.js';
export type { CacheEntry, EntryMeta, TokenUsage } from './entry.js';
export {
  InvalidOptionError,
  InvalidTtlError,
  PromptCacheError,
  type PromptCacheErrorCode,
} from './errors.js';
export { deriveKey, explainKey, isValidNamespace, type KeyExplanation, type KeyOptions } from './key.js';
export type { CacheLock } from './lock.js';
export {
  type CacheMode,
  type CacheResult,
  type CallOptions,
  createPromptCache,
  PromptCache,
  type PromptCacheOptions,
} from './prompt-cache.js';
export type { SemanticStage } from './semantic-stage.js';
export { createSensitiveDataGuard } from './sensitive-data.js';
export { CacheStats, type SkipReason, type StatsSnapshot } from './stats.js';
export type { CacheStore } from './store.js';
