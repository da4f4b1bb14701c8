import { type Clock, InvalidOptionError, systemClock } from '@prompt-cache/core';
import { Cluster } from 'ioredis';
import type { RedisStoreOptions } from './options.js';
import { parseRedisUrl } from './redis-url.js';

export const DEFAULT_KEY_PREFIX = 'prompt-cache:';

/** Validated options, with defaults applied. */
export interface ResolvedOptions {
  keyPrefix: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectMaxDelayMs: number;
  lockPollMs: number;
  sizeSampleKeys: number;
  maxBatchKeys: number;
  entryMemoBytes: number;
  /** Bytes of the near cache; `0` when it is off. */
  nearCacheBytes: number;
  breakerBackoffMs: number;
  breakerMaxBackoffMs: number;
  clock: Clock;
}

/** Checks the options of `createRedisStore` and applies the defaults. @throws {InvalidOptionError} */
export function resolveOptions(options: RedisStoreOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError(
      '[store-redis] createRedisStore needs an options object, e.g. { url: "redis://127.0.0.1:6379" }',
    );
  }
  const sources = (['url', 'client', 'cluster'] as const).filter((name) => options[name] !== undefined);
  if (sources.length > 1) {
    throw new InvalidOptionError(
      `[store-redis] pass only one of url, client and cluster; got ${sources.join(' and ')}`,
    );
  }
  if (options.redisOptions !== undefined && (options.client !== undefined || options.cluster !== undefined)) {
    throw new InvalidOptionError(
      '[store-redis] redisOptions configure a client the store creates; with client, configure that client; with cluster, use cluster.options.redisOptions',
    );
  }
  if (options.client !== undefined) {
    const client = options.client as unknown as {
      getBuffer?: unknown;
      status?: unknown;
      options?: { keyPrefix?: string };
    };
    if (
      typeof client !== 'object' ||
      typeof client.getBuffer !== 'function' ||
      typeof client.status !== 'string'
    ) {
      throw new InvalidOptionError('[store-redis] client must be an ioredis Redis or Cluster instance');
    }
    const prefix =
      options.client instanceof Cluster ? options.client.options.keyPrefix : client.options?.keyPrefix;
    if (prefix) throw keyPrefixRefused(`the client has ioredis keyPrefix ${JSON.stringify(prefix)}`);
  }
  if (options.redisOptions?.keyPrefix) throw keyPrefixRefused('redisOptions.keyPrefix is set');
  if (options.cluster !== undefined) {
    if (!Array.isArray(options.cluster.nodes) || options.cluster.nodes.length === 0) {
      throw new InvalidOptionError(
        '[store-redis] cluster.nodes must list at least one node, e.g. [{ host: "127.0.0.1", port: 7000 }]',
      );
    }
    if (options.cluster.options?.keyPrefix || options.cluster.options?.redisOptions?.keyPrefix) {
      throw keyPrefixRefused('cluster.options sets keyPrefix');
    }
  }
  if (options.url !== undefined) parseRedisUrl(options.url);
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof keyPrefix !== 'string') {
    throw new InvalidOptionError(`[store-redis] keyPrefix must be a string; got ${typeof keyPrefix}`);
  }
  if (options.tls !== undefined && typeof options.tls !== 'boolean' && typeof options.tls !== 'object') {
    throw new InvalidOptionError('[store-redis] tls must be true, false or Node tls.connect options');
  }
  for (const name of ['username', 'password'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string') {
      throw new InvalidOptionError(`[store-redis] ${name} must be a string`);
    }
  }
  if (options.clock !== undefined && typeof options.clock?.now !== 'function') {
    throw new InvalidOptionError('[store-redis] clock must have a now() method returning epoch milliseconds');
  }
  return {
    keyPrefix,
    commandTimeoutMs: wholeNumberOption(options, 'commandTimeoutMs', 500),
    connectTimeoutMs: wholeNumberOption(options, 'connectTimeoutMs', 2_000),
    reconnectMaxDelayMs: wholeNumberOption(options, 'reconnectMaxDelayMs', 1_000),
    lockPollMs: wholeNumberOption(options, 'lockPollMs', 200),
    sizeSampleKeys: wholeNumberOption(options, 'sizeSampleKeys', 1_000),
    maxBatchKeys: wholeNumberOption(options, 'maxBatchKeys', 100),
    entryMemoBytes: wholeNumberOption(options, 'entryMemoBytes', 4 * 1024 * 1024, 0),
    nearCacheBytes: nearCacheBytesOf(options),
    breakerBackoffMs: wholeNumberOption(options, 'breakerBackoffMs', 1_000, 0),
    breakerMaxBackoffMs: wholeNumberOption(options, 'breakerMaxBackoffMs', 5_000),
    clock: options.clock ?? systemClock,
  };
}

function wholeNumberOption(
  options: RedisStoreOptions,
  name: keyof RedisStoreOptions,
  fallback: number,
  least = 1,
): number {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    const unit = name.endsWith('Ms') ? ' of milliseconds' : name.endsWith('Bytes') ? ' of bytes' : '';
    throw new InvalidOptionError(
      `[store-redis] ${name} must be a whole number${unit} >= ${least}; got ${String(value)}`,
    );
  }
  return value;
}

function keyPrefixRefused(what: string): InvalidOptionError {
  return new InvalidOptionError(
    `[store-redis] ${what}; the store prefixes its own keys (and its SCAN patterns), so pass keyPrefix to createRedisStore instead`,
  );
}

const NEAR_CACHE_BYTES = 16 * 1024 * 1024;

function nearCacheBytesOf(options: RedisStoreOptions): number {
  const { nearCache } = options;
  if (nearCache === undefined || nearCache === false) return 0;
  if (options.cluster || options.client) {
    throw new InvalidOptionError(
      '[store-redis] nearCache needs a standalone server the store connects to itself: pass url, not cluster or client',
    );
  }
  if (nearCache === true) return NEAR_CACHE_BYTES;
  const maxBytes = nearCache?.maxBytes ?? NEAR_CACHE_BYTES;
  if (typeof nearCache !== 'object' || !Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new InvalidOptionError(
      `[store-redis] nearCache must be true, false or { maxBytes: a whole number >= 1 }; got ${JSON.stringify(nearCache)}`,
    );
  }
  return maxBytes;
}
