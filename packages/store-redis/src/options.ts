import type { ConnectionOptions } from 'node:tls';
import type { Clock } from '@prompt-cache/core';
import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis';

/**
 * Options of {@link createRedisStore}. Say where Redis is in one of four ways: `url` (optionally with
 * `redisOptions`), `redisOptions` alone, an existing `client`, or `cluster`. Without any of them the store
 * connects to `redis://127.0.0.1:6379`.
 */
export interface RedisStoreOptions {
  /**
   * `redis://[user:password@]host[:port][/db]`, or `rediss://...` for TLS. Default `redis://127.0.0.1:6379`.
   * @example 'redis://127.0.0.1:6379'
   */
  url?: string;
  /**
   * ioredis options for a standalone server, passed through as they are and applied over the store's own
   * fail-fast defaults (and over what `url` says). `keyPrefix` is refused: use the store's `keyPrefix`.
   * Default none.
   */
  redisOptions?: RedisOptions;
  /**
   * An existing ioredis `Redis` or `Cluster` client. The store uses it as configured and never closes it
   * (`close()` only releases what the store created itself: its pub/sub connection).
   * Give it `enableOfflineQueue: false` and `maxRetriesPerRequest: 0` for fail-fast behaviour; every store
   * operation is bounded by `commandTimeoutMs` either way. Default none.
   */
  client?: Redis | Cluster;
  /**
   * Connects to a Redis Cluster: start-up nodes and ioredis Cluster options (applied over the store's defaults).
   * @example { nodes: [{ host: '127.0.0.1', port: 7000 }] }
   */
  cluster?: { nodes: ClusterNode[]; options?: ClusterOptions };
  /** Prefix of every Redis key and channel the store uses (see the key layout in the README). Default `'prompt-cache:'`. */
  keyPrefix?: string;
  /** ACL user name (Redis 6+). Wins over the one in `url`. Default: the one in `url`, else none (the `default` user). */
  username?: string;
  /** Password (`requirepass` or the ACL user's). Wins over the one in `url`. Default: the one in `url`, else none. */
  password?: string;
  /**
   * TLS: `true`, or Node `tls.connect` options (CA, client certificate, servername). Default: on for `rediss://`
   * URLs, off otherwise.
   */
  tls?: boolean | ConnectionOptions;
  /**
   * Longest wait for one Redis operation (including waiting for a connection that is being made). After it the
   * operation rejects with a `STORE_TIMEOUT` StoreUnavailableError and the cache carries on without Redis.
   * Keep it below the cache's `storeTimeoutMs` (default 1000) so that the store's clearer message wins.
   * Default `500` ms.
   */
  commandTimeoutMs?: number;
  /** Longest wait for a TCP (and TLS) connection to be made, per attempt. Default `2_000` ms. */
  connectTimeoutMs?: number;
  /**
   * Longest pause between two reconnection attempts. The store keeps reconnecting in the background forever,
   * backing off from 50 ms up to this. Default `1_000` ms.
   */
  reconnectMaxDelayMs?: number;
  /**
   * While waiting for another process's lock, how often the store also checks whether the lock is gone
   * (a safety net under the pub/sub release message). Default `200` ms.
   */
  lockPollMs?: number;
  /**
   * `size()` reads the byte length of at most this many entries and extrapolates beyond. Default `1_000`.
   */
  sizeSampleKeys?: number;
  /**
   * Reads issued in the same tick are coalesced into one `MGET` of at most this many keys: with many calls in
   * flight, about twice the hits per second. `1` sends one `GET` per read. A Cluster always sends one `GET`
   * per read (its keys live in different slots). Default `100`.
   */
  maxBatchKeys?: number;
  /**
   * Entries parsed from Redis are remembered up to this many bytes (least recently read first out). Reading
   * the same value again then costs a comparison of its head (version, checksum, header) instead of a
   * checksum, a parse and a JSON decode; every read still goes to Redis, so changes are always seen.
   * `0` turns it off. Default `4194304` (4 MiB).
   */
  entryMemoBytes?: number;
  /**
   * Serve repeated reads from this process's memory, with no round trip, while Redis tracks them
   * (client-side caching: `CLIENT TRACKING` with invalidations to a connection of the store's own). An entry
   * another process changes or deletes, or that expires or is evicted, is forgotten when Redis says so, about
   * one round trip after the change; a lost connection forgets everything until tracking is back. `true` keeps up
   * to 16 MiB of entries; `{ maxBytes }` sets the bound. Standalone servers only (not a Cluster, not a `client`
   * passed in). Default `false`.
   */
  nearCache?: boolean | { maxBytes?: number };
  /**
   * The circuit breaker: after a command fails because Redis is down, paused or refusing, the store skips Redis
   * (each call fails at once and the cache computes) and PINGs it in the background, first after this many ms,
   * then backing off, until it answers. While Redis hangs, only the calls already waiting pay `commandTimeoutMs`.
   * `0` turns the breaker off. Default `1_000` ms.
   */
  breakerBackoffMs?: number;
  /** Longest wait between two background probes of an unavailable Redis (how late a recovery may be seen). Default `5_000` ms. */
  breakerMaxBackoffMs?: number;
  /** Time source for expiry: TTLs sent to Redis and the check on read. Default the system clock. */
  clock?: Clock;
}
