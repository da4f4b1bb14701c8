import {
  type CacheEntry,
  type CacheStore,
  type Clock,
  InvalidOptionError,
  systemClock,
} from '@prompt-cache/core';
import {
  CorruptEntryError,
  isExpired,
  parseEntry,
  StoreUnavailableError,
  serializeEntry,
} from '@prompt-cache/core/store-kit';

export interface KeyvStoreOptions {
  /** Short name for messages and stats. Default `keyv`. */
  name?: string;
  /** Time source for expiry checks. Default the system clock. */
  clock?: Clock;
}

/** What the store uses of a Keyv instance: keyv 5 and keyv 6 both have it. */
export interface KeyvLike {
  readonly namespace?: string | undefined;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, ttl?: number): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  clear(): Promise<void>;
  /** Lists `[key, value]` pairs; a backend without it cannot `clear(prefix)` or list keys. */
  iterator?: ((namespace?: string) => AsyncIterable<unknown[]>) | undefined;
  disconnect(): Promise<void>;
}

/**
 * Any Keyv instance, keyv 5 or 6 (PostgreSQL, MySQL, SQLite, MongoDB, ...), as a prompt-cache store.
 *
 * Each entry is kept as one base64 string of core's checksummed entry format, so a value a backend cut short
 * (MySQL's `TEXT` holds 64 KB) reads as a corrupt entry, never as a wrong answer. Keyv expires the entry on its own
 * clock; the store also checks `expiresAt` against the injected clock. Build the Keyv instance with
 * `throwOnErrors: true`, or a backend failure reads as a miss instead of being counted as an error.
 */
export function createKeyvStore(keyv: KeyvLike, options: KeyvStoreOptions = {}): CacheStore {
  if (typeof keyv?.get !== 'function' || typeof keyv.set !== 'function') {
    throw new InvalidOptionError(
      '[store-keyv] createKeyvStore(keyv) needs a Keyv instance, e.g. new Keyv({ store })',
    );
  }
  const clock = options.clock ?? systemClock;

  async function* keys(prefix?: string): AsyncIterable<string> {
    if (!keyv.iterator) {
      throw new InvalidOptionError(
        '[store-keyv] this Keyv backend cannot list its keys; use one with iterator() (postgres, mysql, sqlite, redis, mongo)',
      );
    }
    for await (const [key] of keyv.iterator(keyv.namespace)) {
      if (typeof key === 'string' && (prefix === undefined || key.startsWith(prefix))) yield key;
    }
  }

  return {
    name: options.name ?? 'keyv',
    async get(key) {
      const stored: unknown = await keyv.get(key);
      if (stored === undefined || stored === null) return undefined;
      let entry: CacheEntry;
      try {
        if (typeof stored !== 'string') throw new CorruptEntryError('not a prompt-cache entry');
        entry = parseEntry(Buffer.from(stored, 'base64'));
      } catch (error) {
        await keyv.delete(key);
        throw error instanceof CorruptEntryError
          ? error
          : new CorruptEntryError('unreadable entry', { cause: error, where: `in store-keyv at ${key}` });
      }
      if (!isExpired(entry, clock.now())) return entry;
      await keyv.delete(key);
      return undefined;
    },
    async set(key, entry) {
      const ttlMs = entry.expiresAt === null ? undefined : Math.max(1, entry.expiresAt - clock.now());
      const written = await keyv.set(key, serializeEntry(entry).toString('base64'), ttlMs);
      if (written === false) {
        throw new StoreUnavailableError(
          `[store-keyv] the Keyv backend refused to write ${key}; is it reachable?`,
        );
      }
    },
    async delete(key) {
      return keyv.delete(key);
    },
    async clear(prefix) {
      let removed = 0;
      if (prefix === undefined && !keyv.iterator) {
        await keyv.clear();
        return removed;
      }
      const matching: string[] = [];
      for await (const key of keys(prefix)) matching.push(key);
      for (const key of matching) if (await keyv.delete(key)) removed++;
      return removed;
    },
    ...(keyv.iterator ? { keys } : {}),
    async close() {
      await keyv.disconnect();
    },
  };
}
