import { checkStore } from '@prompt-cache/app-kit';
import type { CacheStore } from '@prompt-cache/core';
import { withTimeout } from '@prompt-cache/core/store-kit';

/** Longest wait for the store to answer a check. */
const CHECK_TIMEOUT_MS = 2000;
/** How long a check's answer is trusted before `/v1/stats` asks again (in the background). */
const CHECK_MAX_AGE_MS = 5000;

/** The kinds of store failures the gateway counts. */
export const STORE_ERROR_KINDS = ['timeout', 'unavailable', 'skipped', 'corrupt', 'other'] as const;
export type StoreErrorKind = (typeof STORE_ERROR_KINDS)[number];

/** The store as `/v1/stats` and the dashboard show it. */
export interface StoreState {
  /** `ok` when the last check answered and no error came after it, `unreachable` otherwise; `unknown` before a check. */
  state: 'ok' | 'unreachable' | 'unknown';
  /** Store errors since the start (each one a call that went to the model uncached, or an entry not stored). */
  errors: number;
  /** The last error, in one line; `null` when the store is fine. */
  message: string | null;
}

/** What `/v1/stats` and `/metrics` show of the store's failures. */
export interface StoreHealthView {
  /** Store failures the cache absorbed (each call was answered anyway), by kind. */
  errors: Record<StoreErrorKind, number>;
  /** The store's circuit breaker (store-redis): `open` while Redis is skipped; `null` for a store without one. */
  breaker: 'closed' | 'open' | null;
}

/**
 * Whether the shared store answers: checked at start (so the operator hears of a Redis that is down at once),
 * told of every store failure the caches absorb (`session.onCacheError`), counted by kind, and checked again,
 * at most every 5 s, when the statistics are read. Failed model calls are not store failures.
 */
export class StoreHealth {
  private current: StoreState = { state: 'unknown', errors: 0, message: null };
  private readonly counts: Record<StoreErrorKind, number> = {
    timeout: 0,
    unavailable: 0,
    skipped: 0,
    corrupt: 0,
    other: 0,
  };
  private checkedAt = 0;
  private checking: Promise<void> | undefined;

  constructor(private readonly store: CacheStore) {}

  /** Asks the store now. */
  check(): Promise<void> {
    this.checking ??= (async () => {
      try {
        await withTimeout(checkStore(this.store), CHECK_TIMEOUT_MS, `${this.store.name} check`);
        this.current = { ...this.current, state: 'ok', message: null };
      } catch (error) {
        this.current = { ...this.current, state: 'unreachable', message: oneLine(error) };
      } finally {
        this.checkedAt = Date.now();
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  /** Records one error event of a cache; the model's own failures (`compute`) are left out. */
  record(event: { operation: string; error: unknown }): void {
    if (event.operation === 'compute' || event.operation === 'onResult' || event.operation === 'key') return;
    this.counts[kindOf(event.error)] += 1;
    this.current = { state: 'unreachable', errors: this.current.errors + 1, message: oneLine(event.error) };
  }

  /** The state as last known; starts a new check in the background when the last one is old. */
  snapshot(): StoreState {
    if (Date.now() - this.checkedAt > CHECK_MAX_AGE_MS) void this.check();
    return { ...this.current };
  }

  /** Failures by kind, and the circuit breaker's state. */
  view(): StoreHealthView {
    const breaker = (this.store as { breaker?: { snapshot(): { state: 'closed' | 'open' } } }).breaker;
    return { errors: { ...this.counts }, breaker: breaker ? breaker.snapshot().state : null };
  }
}

function kindOf(error: unknown): StoreErrorKind {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  if (name === 'BreakerOpenError') return 'skipped';
  if (code === 'STORE_TIMEOUT') return 'timeout';
  if (code === 'STORE_UNAVAILABLE') return 'unavailable';
  if (code === 'CORRUPT_ENTRY') return 'corrupt';
  return 'other';
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}
