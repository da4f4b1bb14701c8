import {
  type CacheEntry,
  type CacheStore,
  type Clock,
  InvalidOptionError,
  systemClock,
} from '@prompt-cache/core';
import { deepFreeze, encodedSize, isExpired, type StoreSize } from '@prompt-cache/core/store-kit';
import { LRUCache } from 'lru-cache';

export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used goes first. Default `10_000`. */
  maxEntries?: number;
  /** Most bytes of encoded values kept; the least recently used goes first. Default: no byte limit. */
  maxBytes?: number;
  /** Time source for expiry checks. Default the system clock. */
  clock?: Clock;
}

/** The memory store: a `CacheStore` whose `get` answers without a promise. */
export interface MemoryStore extends CacheStore {
  get(key: string): CacheEntry | undefined;
  readonly flags: { readonly inProcess: true };
}

/**
 * An in-process LRU store on lru-cache: the fastest backend, shared by nothing and lost on exit.
 * Expiry is checked on read against the injected clock (lru-cache's own TTL timers are not used,
 * which keeps the hit path lean and tests deterministic).
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new InvalidOptionError(`[store-memory] maxEntries must be a whole number >= 1; got ${maxEntries}`);
  }
  if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes >= 1)) {
    throw new InvalidOptionError(`[store-memory] maxBytes must be a whole number >= 1; got ${maxBytes}`);
  }
  const clock = options.clock ?? systemClock;
  const evictListeners: Array<(key: string, reason: 'lru' | 'size' | 'expired') => void> = [];
  let bytes = 0;

  const lru = new LRUCache<string, CacheEntry>({
    max: maxEntries,
    ...(maxBytes === undefined ? {} : { maxSize: maxBytes, sizeCalculation: (entry) => sizeOf(entry) }),
    dispose: (entry, key, reason) => {
      bytes -= sizeOf(entry);
      if (reason === 'evict') {
        for (const listener of evictListeners)
          listener(key, maxBytes !== undefined && lru.size < maxEntries ? 'size' : 'lru');
      }
    },
  });

  const matching = (prefix?: string) =>
    [...lru.keys()].filter((key) => prefix === undefined || key.startsWith(prefix));

  return {
    name: 'memory',
    flags: { inProcess: true },
    get(key) {
      const entry = lru.get(key);
      if (entry === undefined || !isExpired(entry, clock.now())) return entry;
      lru.delete(key);
      return undefined;
    },
    async set(key, entry) {
      const size = sizeOf(entry);
      if (maxBytes !== undefined && size > maxBytes) return; // lru-cache would refuse it anyway
      lru.set(key, frozenCopyOf(entry));
      bytes += size;
    },
    async delete(key) {
      return lru.delete(key);
    },
    async clear(prefix) {
      const keys = matching(prefix);
      for (const key of keys) lru.delete(key);
      return keys.length;
    },
    async *keys(prefix) {
      yield* matching(prefix);
    },
    async size(): Promise<StoreSize> {
      return { entries: lru.size, bytes };
    },
    async prune() {
      const now = clock.now();
      let removed = 0;
      for (const [key, entry] of lru.entries()) {
        if (isExpired(entry, now) && lru.delete(key)) removed++;
      }
      return removed;
    },
    onEvict(listener) {
      evictListeners.push(listener);
    },
    async close() {
      lru.clear();
    },
  };
}

/**
 * The entry as the store keeps it: a frozen copy of its envelope and metadata, because every hit hands out this
 * very object's metadata. Built field by field rather than spread (`{ ...entry }`): freezing a spread copy gives
 * each entry a hidden class of its own, about 400 bytes per entry (a third of a small entry's heap, see
 * docs/BENCHMARKS.md, scaling), and makes every read of its fields a slow lookup. Built this way, all entries
 * share one.
 */
function frozenCopyOf(entry: CacheEntry): CacheEntry {
  const copy: CacheEntry = {
    version: entry.version,
    value: entry.value,
    createdAt: entry.createdAt,
    expiresAt: entry.expiresAt,
    meta: deepFreeze(Object.assign({}, entry.meta)),
  };
  if (entry.decoded !== undefined) copy.decoded = deepFreeze(entry.decoded);
  return Object.freeze(copy);
}

function sizeOf(entry: CacheEntry): number {
  return Math.max(1, encodedSize(entry.value));
}
