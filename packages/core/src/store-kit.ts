// `@prompt-cache/core/store-kit`: what store and adapter authors need beyond the main entry: the contract's
// parts, the entry byte format, TTL parsing, value copies, shared-stats helpers. Users of a cache need none of it.
export { canonicalJson } from './canonical-json.js';
export { cloneValue, deepFreeze } from './clone.js';
export { type CodecContext, createJsonCodec } from './codec.js';
export { createEncryptedCodec } from './encryption-codec.js';
export { type CacheEntry, ENTRY_SCHEMA_VERSION, encodedSize, isExpired, savedOf } from './entry.js';
export { parseEntry, parseStoredEntry, serializeEntry } from './entry-format.js';
export { createEntryMemo, type EntryMemo } from './entry-memo.js';
export {
  CorruptEntryError,
  KeyMaterialTooDeepError,
  OutdatedEntryError,
  StoreUnavailableError,
} from './errors.js';
export type { LatencySummary } from './histogram.js';
export { DEFAULT_EXCLUDED_FIELDS } from './key.js';
export type { CacheLock, LockHandle } from './lock.js';
export type { NormalizeOptions } from './normalize.js';
export type { CacheHit, LiveAnswer, LiveCallOptions, LiveResult, StoreOutcome } from './prompt-cache.js';
export { round } from './round.js';
export type { SemanticMatch } from './semantic-stage.js';
export type { SensitiveDataGuardOptions, SensitivePattern } from './sensitive-data.js';
export { type CounterName, type StatsEvents, snapshotFromFields, statsByNamespace } from './stats.js';
export type { StatsBackend } from './stats-backend.js';
export type { CacheStore, MaybePromise, StoreFlags, StoreSize } from './store.js';
export { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, parseTtlSeconds } from './ttl.js';
export { withTimeout } from './with-timeout.js';
