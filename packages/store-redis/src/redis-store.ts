import type { CacheEntry, CacheLock, CacheStore } from '@prompt-cache/core';
import {
  CorruptEntryError,
  createEntryMemo,
  deepFreeze,
  isExpired,
  type StatsBackend,
  type StoreFlags,
  type StoreSize,
  serializeEntry,
} from '@prompt-cache/core/store-kit';
import { Cluster, Command, type Redis } from 'ioredis';
import type { CircuitBreaker } from './circuit-breaker.js';
import { createConnection } from './connection.js';
import { createKeyLayout } from './key-layout.js';
import { createNearCache } from './near-cache.js';
import type { RedisStoreOptions } from './options.js';
import { createReadBatcher } from './read-batcher.js';
import { createRedisLock } from './redis-lock.js';
import { createRedisStats } from './redis-stats.js';
import { resolveOptions } from './resolve-options.js';
import { type NearCacheState, startTracking } from './tracking.js';

/** A Redis-backed {@link CacheStore} with every capability: keys, size, shared stats and a distributed lock. */
export interface RedisStore extends CacheStore {
  readonly name: 'redis';
  /** The ioredis client (created by the store, or the one passed in). */
  readonly client: Redis | Cluster;
  /** True when `client` is a Redis Cluster. */
  readonly isCluster: boolean;
  /** Prefix of every Redis key and channel the store uses. */
  readonly keyPrefix: string;
  /** Every command is bounded by `commandTimeoutMs`; entries are reused while their bytes are unchanged. */
  readonly flags: StoreFlags;
  /** The near cache (option `nearCache`), or `undefined` when it is off. */
  readonly nearCache: NearCacheState | undefined;
  get(key: string): Promise<CacheEntry | undefined>;
  /** Where the store connects, without credentials (as shown in error messages). */
  readonly target: string;
  /** Distributed single-flight; the cache uses it by default. */
  readonly lock: CacheLock;
  /** Statistics shared by every process on this Redis and key prefix. */
  readonly stats: StatsBackend;
  keys(prefix?: string): AsyncIterable<string>;
  /**
   * `entries`: the number of entries (a SCAN over every master). `bytes`: the serialized size of the entries
   * (envelope header plus value, as STRLEN reports), not Redis's own memory overhead; beyond `sizeSampleKeys`
   * entries it is extrapolated from the first ones scanned.
   */
  size(): Promise<StoreSize>;
  /**
   * Resolves when Redis answers PING (which also closes the circuit breaker); rejects with a
   * StoreUnavailableError that says what is wrong. Never skipped by the breaker.
   */
  ping(): Promise<void>;
  /**
   * The circuit breaker: its state and counts (`snapshot()`), and `probe()` to PING Redis now instead of
   * waiting for the background probe.
   */
  readonly breaker: Pick<CircuitBreaker, 'snapshot' | 'probe'>;
  /** Closes the connections the store created. A client passed in stays open. Safe to call twice. */
  close(): Promise<void>;
}

const SCAN_COUNT = 1_000;

/**
 * A store on Redis or a Redis Cluster through ioredis: shared by every process, fast, and as durable as the
 * server is configured to be. Entries are {@link serializeEntry} bytes under `<keyPrefix>entry:<key>` with a
 * native PX expiry. It fails fast and open: when Redis is down, paused or slow, each operation rejects
 * within `commandTimeoutMs` with a one-line StoreUnavailableError (the cache counts it and computes), and
 * the store reconnects in the background.
 * @example
 * const store = createRedisStore({ url: 'redis://127.0.0.1:6379' });
 * const cache = createPromptCache({ store });
 */
export function createRedisStore(options: RedisStoreOptions = {}): RedisStore {
  const resolved = resolveOptions(options);
  const connection = createConnection(options, resolved);
  const { run, client } = connection;
  const { clock } = resolved;
  const layout = createKeyLayout(resolved.keyPrefix);
  const lock = createRedisLock(connection, layout);
  const stats = createRedisStats(connection, layout.stats);
  const isCluster = client instanceof Cluster;
  const memo = createEntryMemo(resolved.entryMemoBytes);
  const near = resolved.nearCacheBytes > 0 ? createNearCache(resolved.nearCacheBytes) : undefined;
  const tracking = near && startTracking(client as Redis, near, resolved.reconnectMaxDelayMs);
  // A Cluster refuses an MGET whose keys live in different slots, so each read there is its own GET
  // (ioredis still pipelines the GETs bound for one node). Elsewhere the reads of a tick make one MGET, sent
  // at once: ioredis's auto-pipelining would only hold it back until setImmediate.
  const read =
    isCluster || resolved.maxBatchKeys === 1
      ? (redisKey: string) => run((redis) => redis.getBuffer(redisKey))
      : createReadBatcher(
          (redisKeys) =>
            run(
              (redis) =>
                (redis as Redis).sendCommand(
                  new Command('mget', redisKeys, { replyEncoding: null }),
                ) as Promise<Array<Buffer | null>>,
            ),
          resolved.maxBatchKeys,
        );

  /** Every batch of entry keys (as raw bytes) under `prefix`, master by master. */
  async function* scan(prefix?: string): AsyncGenerator<{ node: Redis; keys: Buffer[] }> {
    const pattern = layout.entryPattern(prefix);
    for (const node of await run(() => connection.masters())) {
      let cursor = '0';
      do {
        const [next, keys] = await run(() => node.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT));
        cursor = String(next);
        if (keys.length > 0) yield { node, keys };
      } while (cursor !== '0');
    }
  }

  /** One multi-key UNLINK on a standalone server; one UNLINK per key, pipelined, on a Cluster node (CROSSSLOT). */
  async function unlink(node: Redis, keys: Buffer[]): Promise<number> {
    if (!isCluster) return run(() => node.unlink(...keys));
    const results = await run(() =>
      keys.reduce((pipeline, key) => pipeline.unlink(key), node.pipeline()).exec(),
    );
    return (results ?? []).reduce((sum, [error, removed]) => sum + (error ? 0 : Number(removed)), 0);
  }

  /** The entry in `raw`, or `undefined` once expired; a corrupt value is removed, then reported. */
  function entryOf(redisKey: string, raw: Buffer): CacheEntry | undefined | Promise<never> {
    let entry: CacheEntry;
    try {
      entry = memo.parse(redisKey, raw);
    } catch (error) {
      return removeCorrupt(redisKey, error);
    }
    // Redis expires the key by its own clock; the injected clock decides too (tests move it, clocks drift).
    return isExpired(entry, clock.now()) ? undefined : entry;
  }

  async function removeCorrupt(redisKey: string, error: unknown): Promise<never> {
    await run((redis) => redis.unlink(redisKey)).catch(() => undefined);
    throw error instanceof CorruptEntryError ? error : new CorruptEntryError(String(error), { cause: error });
  }

  return {
    name: 'redis',
    flags: {
      // Every command is bounded by commandTimeoutMs (and the connection wait by the same limit).
      boundsItsOperations: true,
      reusesEntries: resolved.entryMemoBytes > 0 || near !== undefined,
    },
    client,
    isCluster,
    keyPrefix: resolved.keyPrefix,
    target: connection.target,
    lock,
    stats,
    breaker: { snapshot: () => connection.breaker.snapshot(), probe: () => connection.breaker.probe() },

    get(key) {
      const redisKey = layout.entry(key);
      if (!near) return read(redisKey).then((raw) => (raw === null ? undefined : entryOf(redisKey, raw)));
      const known = near.get(redisKey);
      if (known) {
        if (!isExpired(known, clock.now())) return Promise.resolve(known);
        near.invalidate([redisKey]);
        return Promise.resolve(undefined);
      }
      const ticket = near.beginRead(redisKey);
      return read(redisKey).then(
        (raw) => {
          const entry = raw === null ? undefined : entryOf(redisKey, raw);
          const kept = entry instanceof Promise ? undefined : entry && deepFreeze(entry);
          near.finishRead(redisKey, ticket, kept, raw?.byteLength ?? 0);
          return entry;
        },
        (error: unknown) => {
          near.finishRead(redisKey, ticket, undefined, 0);
          throw error;
        },
      );
    },

    async set(key, entry) {
      const redisKey = layout.entry(key);
      memo.forget(redisKey);
      near?.invalidate([redisKey]);
      if (entry.expiresAt === null) {
        const value = serializeEntry(entry);
        await run((redis) => redis.set(redisKey, value));
        return;
      }
      const ttlMs = Math.ceil(entry.expiresAt - clock.now());
      if (ttlMs <= 0) {
        await run((redis) => redis.unlink(redisKey)); // already expired: make sure no older entry survives
        return;
      }
      const value = serializeEntry(entry);
      await run((redis) => redis.set(redisKey, value, 'PX', ttlMs));
    },

    async delete(key) {
      const redisKey = layout.entry(key);
      memo.forget(redisKey);
      near?.invalidate([redisKey]);
      return (await run((redis) => redis.unlink(redisKey))) > 0;
    },

    async clear(prefix) {
      memo.clear();
      near?.invalidate(null);
      let removed = 0;
      for await (const { node, keys } of scan(prefix)) removed += await unlink(node, keys);
      return removed;
    },

    async *keys(prefix) {
      for await (const { keys } of scan(prefix)) {
        for (const key of keys) yield layout.keyOf(key.toString('utf8'));
      }
    },

    async size() {
      let entries = 0;
      let sampled = 0;
      let sampledBytes = 0;
      for await (const { node, keys } of scan()) {
        entries += keys.length;
        const sample = keys.slice(0, Math.max(0, resolved.sizeSampleKeys - sampled));
        if (sample.length === 0) continue;
        const results = await run(() =>
          sample.reduce((pipeline, key) => pipeline.strlen(key), node.pipeline()).exec(),
        );
        for (const [error, length] of results ?? []) if (!error) sampledBytes += Number(length);
        sampled += sample.length;
      }
      const bytes = sampled === 0 ? 0 : Math.round((sampledBytes / sampled) * entries);
      return { entries, bytes };
    },

    async ping() {
      await connection.ping();
    },

    nearCache: tracking,

    async close() {
      tracking?.close();
      await lock.close();
      await connection.close();
    },
  };
}
