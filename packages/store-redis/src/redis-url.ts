import { InvalidOptionError } from '@prompt-cache/core';

/** Where the store connects when it is told nothing else. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** What a Redis URL names. */
export interface RedisUrl {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * Parses a `redis://[user:password@]host[:port][/db]` or `rediss://` URL, the way the store reads its `url`.
 * `name` is what messages call the value (`url` by default; an app passes its flag, e.g. `--redis-url`).
 * @throws {InvalidOptionError} with a one-line message for a value that is not such a URL.
 */
export function parseRedisUrl(url: string, name = 'url'): RedisUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionError(
      `[store-redis] ${name} is not a URL: ${JSON.stringify(url)}; expected redis://host:port`,
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new InvalidOptionError(
      `[store-redis] ${name} must start with redis:// or rediss://; got ${JSON.stringify(parsed.protocol.replace(/:$/, ''))}`,
    );
  }
  const dbText = parsed.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) {
    throw new InvalidOptionError(
      `[store-redis] the database in ${name} must be a whole number; got ${JSON.stringify(dbText)}`,
    );
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  return {
    host,
    port,
    db,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    tls: parsed.protocol === 'rediss:',
  };
}
