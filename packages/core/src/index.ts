export { canonicalJson, MAX_KEY_DEPTH } from './canonical-json.js';
export { type Clock, systemClock } from './clock.js';
export { cloneValue, deepFreeze } from './clone.js';
export { type Codec, type CodecContext, createJsonCodec } from './codec.js';
export {
  createEncryptedCodec,
  type EncryptionOptions,
  encryptionOptionsFromEnv,
} from './encryption-codec.js';
export {
  billedTokens,
  type CacheEntry,
  ENTRY_SCHEMA_VERSION,
  type EntryMeta,
  encodedSize,
  isExpired,
  savedOf,
  type TokenUsage,
} from './entry.js';
export { parseEntry, parseStoredEntry, serializeEntry } from './entry-format.js';
export { createEntryMemo, type EntryMemo } from './entry-memo.js';
export {
  CorruptEntryError,
  InvalidOptionError,
  InvalidTtlError,
  KeyMaterialTooDeepError,
  OutdatedEntryError,
  PromptCacheError,
  type PromptCacheErrorCode,
  StoreUnavailableError,
} from './errors.js';
export { bucketOf, HISTOGRAM_BUCKETS, LatencyHistogram, type LatencySummary } from './histogram.js';
export {
  createKeyDeriver,
  DEFAULT_EXCLUDED_FIELDS,
  deriveKey,
  explainKey,
  isValidNamespace,
  KEY_SCHEMA_VERSION,
  type KeyDeriver,
  type KeyExplanation,
  type KeyOptions,
} from './key.js';
export type { CacheLock, LockHandle } from './lock.js';
export {
  createTextNormalizer,
  type NormalizeOptions,
  type NormalizeSetting,
  normalizeStrings,
} from './normalize.js';
export {
  type CacheHit,
  type CacheMode,
  type CacheResult,
  type CallOptions,
  createPromptCache,
  type LiveAnswer,
  type LiveCallOptions,
  type LiveResult,
  PromptCache,
  type PromptCacheOptions,
  type StoreOutcome,
} from './prompt-cache.js';
export { round } from './round.js';
export type { SemanticMatch, SemanticStage } from './semantic-stage.js';
export {
  BUILT_IN_DETECTORS,
  createSensitiveDataGuard,
  type DetectorName,
  luhn,
  type SensitiveDataGuardOptions,
  type SensitivePattern,
} from './sensitive-data.js';
export {
  CacheStats,
  COUNTER_NAMES,
  type CounterName,
  namespacedFields,
  namespaceStats,
  type SkipReason,
  type StatsEvents,
  type StatsSnapshot,
  snapshotFromFields,
  statsByNamespace,
} from './stats.js';
export type { StatsBackend } from './stats-backend.js';
export type { CacheStore, StoreSize } from './store.js';
export { DEFAULT_TTL_SECONDS, expiryFor, MAX_TTL_SECONDS, parseTtlSeconds } from './ttl.js';
export { withTimeout } from './with-timeout.js';
