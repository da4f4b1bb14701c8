import { InvalidOptionError } from '@prompt-cache/core';
import { fileIndex } from './file-index.js';
import type { IndexStorage } from './index-storage.js';
import { type RedisIndexSource, redisIndex } from './redis-index.js';

/**
 * What `persist` accepts: a storage ({@link fileIndex}, {@link redisIndex}), or the cache's store itself: a file
 * store (`name: 'file'`) keeps the index beside its entries, a Redis store (`name: 'redis'`) in Redis.
 */
export type IndexStorageSource =
  | IndexStorage
  | { readonly name: 'file'; readonly directory: string }
  | (RedisIndexSource & { readonly name: 'redis' });

/** The storage `persist` names, with default options; `undefined` keeps the index in memory only. */
export function indexStorageOf(source: IndexStorageSource | undefined): IndexStorage | undefined {
  if (source === undefined) return undefined;
  if (typeof (source as IndexStorage).open === 'function') return source as IndexStorage;
  const { name } = source as { name?: unknown };
  if (name === 'file') return fileIndex(source as { directory: string });
  if (name === 'redis') return redisIndex(source as RedisIndexSource);
  throw new InvalidOptionError(
    `[semantic] persist must be a file or Redis store, fileIndex(directory) or redisIndex(store); got ${
      typeof name === 'string' ? `a ${JSON.stringify(name)} store` : typeof source
    }`,
  );
}
