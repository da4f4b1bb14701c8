import { type CacheStore, type Clock, InvalidOptionError } from '@prompt-cache/core';
import { createFileStore, defaultFileStoreDirectory } from '@prompt-cache/store-file';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { createRedisStore, DEFAULT_REDIS_URL } from '@prompt-cache/store-redis';
import { type CacheType, parseCacheType, parseRedisUrl } from './settings.js';

/** Options of {@link createStoreFromOptions}. */
export interface StoreFromOptions {
  /** `memory`, `file` or `redis`. Required. */
  cacheType: CacheType | string;
  /** Directory of the file store. Default: store-file's default (`$XDG_CACHE_HOME/prompt-cache` or `~/.cache/prompt-cache`). */
  cacheDir?: string;
  /** URL of the Redis store. Default `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** Prefix of every Redis key the store writes. Default store-redis's `'prompt-cache:'`. */
  redisKeyPrefix?: string;
  /** How long one Redis command may take before the cache is skipped, in ms. Default store-redis's own. */
  redisTimeoutMs?: number;
  /** Most entries kept by the memory and file stores. Default: the store's own default. */
  maxEntries?: number;
  /** Time source for expiry checks. Default the system clock. */
  clock?: Clock;
}

/** What a store is and where it lives, for messages: `file cache in /home/me/.cache/prompt-cache`. */
export interface StoreDescription {
  cacheType: CacheType;
  /** The directory or URL (without credentials); `in this process` for memory. */
  location: string;
  /** True when entries outlive the process. */
  persistent: boolean;
  /** True when other processes can share the entries. */
  shared: boolean;
}

/**
 * Creates the store a `--cache-type` flag names. Bad values fail at once with a one-line
 * {@link InvalidOptionError}; a Redis server that cannot be reached does not fail here (the cache fails open
 * and carries on without it; call `ping()` on a Redis store to find out early).
 * @example createStoreFromOptions({ cacheType: 'file', cacheDir: '.cache/answers' })
 */
export function createStoreFromOptions(options: StoreFromOptions): CacheStore {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError(
      '[app-kit] createStoreFromOptions needs options, e.g. { cacheType: "memory" }',
    );
  }
  const cacheType = parseCacheType(String(options.cacheType ?? ''), 'cacheType');
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  switch (cacheType) {
    case 'memory':
      return createMemoryStore({
        ...clock,
        ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
      });
    case 'file':
      return createFileStore({
        ...clock,
        ...(options.cacheDir === undefined ? {} : { directory: options.cacheDir }),
        ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
      });
    case 'redis':
      return createRedisStore({
        ...clock,
        url: parseRedisUrl(options.redisUrl ?? DEFAULT_REDIS_URL, 'redisUrl'),
        commandTimeoutMs: options.redisTimeoutMs,
        ...(options.redisKeyPrefix === undefined ? {} : { keyPrefix: options.redisKeyPrefix }),
      });
  }
}

/** Describes where a store created by {@link createStoreFromOptions} keeps its entries. */
export function describeStore(store: CacheStore): StoreDescription {
  const named = store as CacheStore & { directory?: string; target?: string };
  if (store.name === 'file') {
    return {
      cacheType: 'file',
      location: named.directory ?? defaultFileStoreDirectory(),
      persistent: true,
      shared: true,
    };
  }
  if (store.name === 'redis') {
    return {
      cacheType: 'redis',
      location: named.target ?? DEFAULT_REDIS_URL,
      persistent: true,
      shared: true,
    };
  }
  return { cacheType: 'memory', location: 'in this process', persistent: false, shared: false };
}

/**
 * Checks that a store's backend answers (Redis: PING). Other stores answer by construction. Rejects with the
 * store's own one-line error, e.g. `[store-redis] cannot reach redis://127.0.0.1:6390 (ECONNREFUSED); is redis-server running?`.
 */
export async function checkStore(store: CacheStore): Promise<void> {
  const pingable = store as CacheStore & { ping?: () => Promise<void> };
  if (typeof pingable.ping === 'function') await pingable.ping();
}
