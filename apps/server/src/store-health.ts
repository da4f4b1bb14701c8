import type { CacheStore } from '@prompt-cache/core';

/** The kinds of store failures the gateway counts. */
export const STORE_ERROR_KINDS = ['timeout', 'unavailable', 'skipped', 'corrupt', 'other'] as const;
export type StoreErrorKind = (typeof STORE_ERROR_KINDS)[number];

/** What `/v1/stats` and `/metrics` show of the store's health. */
export interface StoreHealthView {
  /** Store failures the cache absorbed (each call was answered anyway), by kind. */
  errors: Record<StoreErrorKind, number>;
  /** The store's circuit breaker (store-redis): `open` while Redis is skipped; `null` for a store without one. */
  breaker: 'closed' | 'open' | null;
}

/**
 * Counts the store failures the caches report (`session.onCacheError`): a timeout, an unreachable store, a call
 * skipped by an open circuit breaker, a corrupt entry, or anything else. Failed model calls are not store failures.
 */
export class StoreHealth {
  private readonly counts: Record<StoreErrorKind, number> = {
    timeout: 0,
    unavailable: 0,
    skipped: 0,
    corrupt: 0,
    other: 0,
  };

  constructor(private readonly store: CacheStore) {}

  /** Records one error event of a cache; the model's own failures (`compute`) are left out. */
  record(event: { operation: string; error: unknown }): void {
    if (event.operation === 'compute' || event.operation === 'onResult' || event.operation === 'key') return;
    this.counts[kindOf(event.error)] += 1;
  }

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
