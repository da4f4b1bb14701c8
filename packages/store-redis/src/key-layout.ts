/**
 * Where the store keeps things, all under one `keyPrefix` (default `prompt-cache:`):
 *
 * | what                 | Redis key / channel                  | type                          |
 * |----------------------|--------------------------------------|-------------------------------|
 * | an entry             | `<keyPrefix>entry:<cache key>`       | string (serialized entry), PX |
 * | a single-flight lock | `<keyPrefix>lock:<cache key>`        | string (owner token), PX      |
 * | shared statistics    | `<keyPrefix>stats`                   | hash of numeric fields        |
 * | lock releases        | `<keyPrefix>lock-released` (channel) | pub/sub, message = cache key  |
 *
 * Entries sit under their own `entry:` segment so that `clear()` and `keys()` can never touch
 * the locks or the statistics, whatever the cache keys look like.
 */
export interface KeyLayout {
  readonly keyPrefix: string;
  entry(key: string): string;
  /** The cache key of a Redis entry key (the reverse of {@link entry}). */
  keyOf(redisKey: string): string;
  /** A SCAN MATCH pattern for every entry whose cache key starts with `prefix` (glob characters escaped). */
  entryPattern(prefix?: string): string;
  lock(key: string): string;
  readonly stats: string;
  readonly lockChannel: string;
}

export function createKeyLayout(keyPrefix: string): KeyLayout {
  const entryPrefix = `${keyPrefix}entry:`;
  return {
    keyPrefix,
    entry: (key) => entryPrefix + key,
    keyOf: (redisKey) => redisKey.slice(entryPrefix.length),
    entryPattern: (prefix = '') => `${escapeGlob(entryPrefix + prefix)}*`,
    lock: (key) => `${keyPrefix}lock:${key}`,
    stats: `${keyPrefix}stats`,
    lockChannel: `${keyPrefix}lock-released`,
  };
}

/** Escapes Redis glob characters (`* ? [ ] \`) so that a literal prefix matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
