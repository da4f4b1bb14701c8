/** Stable error codes; callers branch on `error.code`, never on message text. */
export type PromptCacheErrorCode =
  | 'INVALID_TTL'
  | 'INVALID_OPTION'
  | 'INVALID_KEY_MATERIAL'
  | 'CORRUPT_ENTRY'
  | 'STORE_UNAVAILABLE'
  | 'STORE_TIMEOUT'
  | 'CODEC_FAILED'
  | 'UNKNOWN_MODEL'
  | 'UPSTREAM_FAILED';

/**
 * Base class of every error this project throws. The message names the package and says what to do,
 * e.g. `[store-redis] cannot reach redis://127.0.0.1:6390 (ECONNREFUSED); is redis-server running?`.
 */
export class PromptCacheError extends Error {
  readonly code: PromptCacheErrorCode;

  constructor(code: PromptCacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A TTL that is negative, NaN, infinite by accident, or not a number at all. */
export class InvalidTtlError extends PromptCacheError {
  /** `maxSeconds`: the TTL is a number, but longer than this (use 0 for no expiry). */
  constructor(value: unknown, where = 'ttl', maxSeconds?: number) {
    super(
      'INVALID_TTL',
      maxSeconds === undefined
        ? `[core] ${where} must be a number of seconds >= 0 (0 means no expiry); got ${describe(value)}`
        : `[core] ${where} must be at most ${maxSeconds} seconds (10 years); use 0 for no expiry; got ${describe(value)}`,
    );
  }
}

/** Key material nested deeper than the key code follows (deep nesting would exhaust the call stack). */
export class KeyMaterialTooDeepError extends PromptCacheError {
  constructor(maxDepth: number) {
    super(
      'INVALID_KEY_MATERIAL',
      `[core] key material is nested more than ${maxDepth} levels deep; flatten the request`,
    );
  }
}

/** An option that cannot work, reported when the object is created rather than on first use. */
export class InvalidOptionError extends PromptCacheError {
  constructor(message: string) {
    super('INVALID_OPTION', message);
  }
}

/** A stored entry that cannot be read: truncated, tampered with, foreign, or of an unknown version. */
export class CorruptEntryError extends PromptCacheError {
  /** What was wrong, without the surrounding sentence (e.g. `checksum mismatch`). */
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown; where?: string }) {
    const where = options?.where ? ` ${options.where}` : '';
    super(
      'CORRUPT_ENTRY',
      `[core] unreadable cache entry${where}: ${reason}; it is treated as a miss`,
      options,
    );
    this.reason = reason;
  }
}

/** A store that failed or did not answer in time. The orchestrator counts it and carries on. */
export class StoreUnavailableError extends PromptCacheError {
  constructor(message: string, options?: { cause?: unknown; timeout?: boolean }) {
    super(options?.timeout ? 'STORE_TIMEOUT' : 'STORE_UNAVAILABLE', message, options);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value === null) return 'null';
  return typeof value;
}

/**
 * An entry in a format this version no longer reads, e.g. a value encrypted before values were bound to their
 * keys. Not damage: the orchestrator treats it as a plain miss (removed, not counted as an error).
 */
export class OutdatedEntryError extends CorruptEntryError {}
