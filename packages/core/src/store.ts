import type { CacheEntry } from './entry.js';
import type { CacheLock } from './lock.js';
import type { StatsBackend } from './stats-backend.js';

/** Entry and byte counts of a store. */
export interface StoreSize {
  entries: number;
  bytes: number;
}

/** A value, or a promise of it: what a store's `get` returns (as unstorage's drivers do). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Speed hints a store declares in one place. They change how fast the orchestrator is, never what it answers:
 * a store that declares none is served correctly, only with a timer and a decode per read.
 */
export interface StoreFlags {
  /**
   * The store does no I/O: `get()` answers without a promise and no operation can hang. A hit then skips
   * the event loop and the timeout timer, and entries keep their decoded value (`CacheEntry.decoded`),
   * so hits copy instead of decoding.
   */
  readonly inProcess?: boolean;
  /**
   * The store fails every operation within a time limit of its own (a command timeout), so the orchestrator
   * adds no timer of its own (`storeTimeoutMs`) on top.
   */
  readonly boundsItsOperations?: boolean;
  /**
   * `get()` returns the very same (frozen) entry object for as long as the stored entry is unchanged, as
   * stores do that parse through an entry memo (`createEntryMemo`). The orchestrator then decodes each such
   * object once and hands out copies of that, which costs far less than decoding again.
   */
  readonly reusesEntries?: boolean;
}

/**
 * The contract every store fulfils: four required members, the rest declared capabilities.
 * Stores keep `CacheEntry` envelopes and never interpret the encoded value.
 * Every store must treat an entry whose `expiresAt` has passed (by its injected clock) as absent.
 */
export interface CacheStore {
  /** Short name for messages and stats, e.g. `memory`, `file`, `redis`. */
  readonly name: string;
  /**
   * The entry, or `undefined` when absent or expired. An unreadable entry (corrupt, truncated, foreign)
   * is removed and reported by throwing `CorruptEntryError`; the orchestrator counts it as an error and a miss.
   * An in-process store answers without a promise (and says so in `flags.inProcess`).
   */
  get(key: string): MaybePromise<CacheEntry | undefined>;
  /** Stores the entry; it expires at `entry.expiresAt` (`null` = never). */
  set(key: string, entry: CacheEntry): Promise<void>;
  /** Removes one entry; resolves `true` when something was removed. */
  delete(key: string): Promise<boolean>;
  /** Removes this store's entries whose key starts with `prefix` (all of them without one). Returns how many. */
  clear(prefix?: string): Promise<number>;

  /** Capability: the stored keys, optionally only those starting with `prefix`. */
  keys?(prefix?: string): AsyncIterable<string>;
  /** Capability: entry and byte counts. */
  size?(): Promise<StoreSize>;
  /** Capability: removes expired entries now, returns how many. */
  prune?(): Promise<number>;
  /** Capability: releases connections, timers and handles. */
  close?(): Promise<void>;
  /** Capability: a lock shared by every process using the same backend (distributed single-flight). */
  readonly lock?: CacheLock;
  /** Capability: statistics kept in the backend, so that every process and a later run see the totals. */
  readonly stats?: StatsBackend;
  /**
   * Capability: registers a callback for entries the store itself removes to respect its limits
   * (`lru`, `size`) or, when it sweeps them in the background or in `prune()`, because they expired.
   * Each call counts as one eviction in the stats. Deletes and clears asked for by the caller are not evictions.
   */
  onEvict?(listener: (key: string, reason: 'lru' | 'size' | 'expired') => void): void;
  /** Speed hints (see {@link StoreFlags}); none by default. */
  readonly flags?: StoreFlags;
}
