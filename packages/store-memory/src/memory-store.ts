import {
  type CacheEntry,
  type CacheStore,
  type Clock,
  deepFreeze,
  encodedSize,
  InvalidOptionError,
  type StoreSize,
  systemClock,
} from '@prompt-cache/core';

export interface MemoryStoreOptions {
  /** Most entries kept; one not read for the longest goes first (CLOCK, see below). Default `10_000`. */
  maxEntries?: number;
  /** Most bytes of encoded values kept; entries go in the same order. Default: no byte limit. */
  maxBytes?: number;
  /** Time source for expiry checks. Default the system clock. */
  clock?: Clock;
}

/** One stored entry and what eviction needs to know about it. */
interface Slot {
  entry: CacheEntry;
  size: number;
  /** Read (or written again) since the hand last passed it: it is spared once, and moved to the back. */
  used: boolean;
}

type EvictListener = (key: string, reason: 'lru' | 'size' | 'expired') => void;

/**
 * An in-process store on a plain `Map`: the fastest backend, shared by nothing and lost on exit.
 *
 * Eviction is second chance (CLOCK), an approximation of least-recently-used: a hit only marks its entry
 * as used; when room is needed, the oldest entry goes unless it is marked, in which case it is unmarked and
 * moved to the back, and the next oldest is tried. A strict LRU moves the entry on every hit, and at a million
 * entries that costs more than the lookup itself (see docs/BENCHMARKS.md, scaling).
 * Expiry is checked on read against the injected clock; no timers, which keeps tests deterministic.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): CacheStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new InvalidOptionError(`[store-memory] maxEntries must be a whole number >= 1; got ${maxEntries}`);
  }
  if (options.maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes >= 1)) {
    throw new InvalidOptionError(`[store-memory] maxBytes must be a whole number >= 1; got ${maxBytes}`);
  }
  const clock = options.clock ?? systemClock;
  const evictListeners: EvictListener[] = [];
  const slots = new Map<string, Slot>();
  let bytes = 0;
  // The front of the queue: a live Map iterator, which keeps its place while entries are added and removed
  // (a fresh `keys().next()` would step over every hole the evictions left at the front of the Map).
  let hand: Iterator<[string, Slot]> | undefined;

  const remove = (key: string, slot: Slot) => {
    slots.delete(key);
    bytes -= slot.size;
  };

  /** Removes the oldest unused entry; used ones on the way are unmarked and moved to the back. */
  const evictOne = () => {
    while (slots.size > 0) {
      let next = hand?.next();
      if (next === undefined || next.done) {
        hand = slots.entries();
        next = hand.next();
        if (next.done) return;
      }
      const [key, slot] = next.value;
      if (slot.used) {
        slot.used = false;
        slots.delete(key);
        slots.set(key, slot);
        continue;
      }
      const reason = slots.size > maxEntries ? 'lru' : 'size';
      remove(key, slot);
      for (const listener of evictListeners) listener(key, reason);
      return;
    }
  };

  const matching = (prefix?: string) =>
    [...slots.keys()].filter((key) => prefix === undefined || key.startsWith(prefix));

  const getSync = (key: string): CacheEntry | undefined => {
    const slot = slots.get(key);
    if (slot === undefined) return undefined;
    const expiresAt = slot.entry.expiresAt;
    if (expiresAt !== null && expiresAt <= clock.now()) {
      remove(key, slot);
      return undefined;
    }
    slot.used = true;
    return slot.entry;
  };

  return {
    name: 'memory',
    getSync,
    async get(key) {
      return getSync(key);
    },
    async set(key, entry) {
      const size = sizeOf(entry);
      if (size > maxBytes) return; // it could never fit
      // Frozen, because every hit hands out this very object's metadata.
      const frozen = deepFreeze({ ...entry, meta: { ...entry.meta } });
      const existing = slots.get(key);
      if (existing) {
        bytes += size - existing.size;
        existing.entry = frozen;
        existing.size = size;
        existing.used = true;
      } else {
        slots.set(key, { entry: frozen, size, used: false });
        bytes += size;
      }
      while (slots.size > maxEntries || bytes > maxBytes) evictOne();
    },
    async delete(key) {
      const slot = slots.get(key);
      if (slot === undefined) return false;
      remove(key, slot);
      return true;
    },
    async clear(prefix) {
      const keys = matching(prefix);
      for (const key of keys) remove(key, slots.get(key)!);
      return keys.length;
    },
    async *keys(prefix) {
      yield* matching(prefix);
    },
    async size(): Promise<StoreSize> {
      return { entries: slots.size, bytes };
    },
    async prune() {
      const now = clock.now();
      let removed = 0;
      for (const [key, slot] of slots) {
        const expiresAt = slot.entry.expiresAt;
        if (expiresAt !== null && expiresAt <= now) {
          remove(key, slot);
          removed++;
        }
      }
      return removed;
    },
    onEvict(listener) {
      evictListeners.push(listener);
    },
    async close() {
      slots.clear();
      bytes = 0;
      hand = undefined;
    },
  };
}

function sizeOf(entry: CacheEntry): number {
  return Math.max(1, encodedSize(entry.value));
}
