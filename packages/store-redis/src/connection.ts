import { StoreUnavailableError } from '@prompt-cache/core/store-kit';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.js';
import type { RedisStoreOptions } from './options.js';
import { DEFAULT_REDIS_URL, parseRedisUrl } from './redis-url.js';
import type { ResolvedOptions } from './resolve-options.js';
import { createStoreErrors } from './store-errors.js';

/**
 * One Redis (or Cluster) connection with the store's failure policy: every operation waits for a connection
 * only while one is being made, is bounded by `commandTimeoutMs`, and fails with a one-line
 * StoreUnavailableError that names the server and the fix.
 */
export interface Connection {
  readonly client: Redis | Cluster;
  /** Where it connects, without credentials, for messages. */
  readonly target: string;
  /** True when the store created the client (and so closes it). */
  readonly owned: boolean;
  readonly options: ResolvedOptions;
  /**
   * Runs `operation` once the client is ready, within `commandTimeoutMs`; maps every failure to a store error.
   * Skipped at once (a {@link BreakerOpenError}) while the circuit breaker is open.
   */
  run<T>(operation: (client: Redis | Cluster) => Promise<T>): Promise<T>;
  /** The circuit breaker in front of `run`. */
  readonly breaker: CircuitBreaker;
  /** Sends PING past the breaker; a success closes it. */
  ping(): Promise<void>;
  /** The connections to scan: the client itself, or every master of a Cluster. */
  masters(): Promise<Redis[]>;
  /** A second connection like the first, for pub/sub. Its errors are swallowed. */
  duplicateForSubscribe(): Redis | Cluster;
  close(): Promise<void>;
}

/** Creates (or adopts) the client and wraps it with the failure policy. Options must be validated first. */
export function createConnection(options: RedisStoreOptions, resolved: ResolvedOptions): Connection {
  const failFast = {
    // Commands issued in the same tick go out in one write: many requests in flight cost few syscalls.
    enableAutoPipelining: true,
    commandTimeout: resolved.commandTimeoutMs,
    connectTimeout: resolved.connectTimeoutMs,
    maxRetriesPerRequest: 0,
  };
  const retryStrategy = (times: number) =>
    Math.min(50 * 2 ** Math.min(times, 10), resolved.reconnectMaxDelayMs);
  const tlsOption = (fromUrl: boolean) => {
    const tls = options.tls ?? fromUrl;
    if (tls === false) return {};
    return { tls: tls === true ? {} : tls };
  };
  const credentials = {
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
  };

  let client: Redis | Cluster;
  let target: string;
  let owned = true;
  if (options.client) {
    client = options.client;
    owned = false;
    target = describeClient(client);
  } else if (options.cluster) {
    const user: ClusterOptions = options.cluster.options ?? {};
    const redisOptions: ClusterOptions['redisOptions'] = {
      ...failFast,
      ...tlsOption(false),
      ...user.redisOptions,
      ...credentials,
    };
    client = new Cluster(options.cluster.nodes, {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      clusterRetryStrategy: retryStrategy,
      ...user,
      redisOptions,
    });
    target = describeClient(client);
  } else {
    const url = parseRedisUrl(options.url ?? DEFAULT_REDIS_URL);
    const fromUrl: RedisOptions = {
      host: url.host,
      port: url.port,
      db: url.db,
      ...(url.username === undefined ? {} : { username: url.username }),
      ...(url.password === undefined ? {} : { password: url.password }),
    };
    const redisOptions: RedisOptions = {
      ...failFast,
      enableOfflineQueue: false,
      retryStrategy,
      ...fromUrl,
      ...tlsOption(url.tls),
      ...options.redisOptions,
      ...credentials,
    };
    client = new Redis(redisOptions);
    target = describeClient(client);
  }
  return wrap(client, target, owned, resolved);
}

function describeClient(client: Redis | Cluster): string {
  if (client instanceof Cluster) {
    // startupNodes is private in the typings, but it is the only record of what the user asked for.
    const startupNodes = (
      client as unknown as { startupNodes: Array<string | number | { host?: string; port?: number }> }
    ).startupNodes;
    const nodes = startupNodes.map((node) =>
      typeof node === 'string'
        ? node
        : typeof node === 'number'
          ? `127.0.0.1:${node}`
          : `${node.host ?? '127.0.0.1'}:${node.port ?? 6379}`,
    );
    return `redis cluster ${nodes.join(',')}`;
  }
  const { host = '127.0.0.1', port = 6379, path, tls, db } = client.options;
  if (path) return `redis+unix://${path}`;
  const hostname = host.includes(':') ? `[${host}]` : host;
  return `${tls ? 'rediss' : 'redis'}://${hostname}:${port}${db ? `/${db}` : ''}`;
}

function wrap(client: Redis | Cluster, target: string, owned: boolean, options: ResolvedOptions): Connection {
  let lastError: Error | undefined;
  let closed = false;
  const onError = (error: Error) => {
    lastError = error;
  };
  const onReady = () => {
    lastError = undefined;
  };
  client.on('error', onError);
  client.on('node error', onError);
  client.on('ready', onReady);
  const { timeoutError, unreachable, toStoreError } = createStoreErrors(
    target,
    options.commandTimeoutMs,
    () => lastError,
  );

  /** Waits while a connection is being made; fails at once when Redis is known to be down. */
  let pendingReady: Promise<void> | undefined;
  const whenReady = (): Promise<void> => {
    if (closed)
      return Promise.reject(new StoreUnavailableError('[store-redis] the store is closed; create a new one'));
    const status = client.status;
    if (status === 'ready') return Promise.resolve();
    if (status === 'end') {
      return Promise.reject(
        owned
          ? unreachable()
          : new StoreUnavailableError(`[store-redis] the client for ${target} was closed by its owner`),
      );
    }
    // Reconnecting: Redis is down right now. Fail fast instead of waiting for the next attempt.
    if (status === 'reconnecting' || status === 'close' || status === 'disconnecting')
      return Promise.reject(unreachable());
    if (status === 'wait') (client as Redis).connect().catch(() => undefined);
    pendingReady ??= new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        client.off('ready', ready);
        client.off('close', failed);
        client.off('end', failed);
        pendingReady = undefined;
        if (error) reject(error);
        else resolve();
      };
      const ready = () => settle();
      const failed = () => settle(unreachable());
      client.once('ready', ready);
      client.once('close', failed);
      client.once('end', failed);
    });
    return pendingReady;
  };

  const runDirect = async <T>(operation: (client: Redis | Cluster) => Promise<T>): Promise<T> => {
    // The hot path: a client we made is ready, and its own commandTimeout bounds the command.
    if (owned && !closed && client.status === 'ready') {
      try {
        return await operation(client);
      } catch (error) {
        throw toStoreError(error);
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError()), options.commandTimeoutMs);
    });
    try {
      return await Promise.race([whenReady().then(() => operation(client)), deadline]);
    } catch (error) {
      throw toStoreError(error);
    } finally {
      clearTimeout(timer);
    }
  };
  const ping = () => runDirect((redis) => redis.ping()).then(() => undefined);
  const breaker = createCircuitBreaker({
    backoffMs: options.breakerBackoffMs,
    maxBackoffMs: options.breakerMaxBackoffMs,
    probe: ping,
    clock: options.clock,
  });

  return {
    client,
    target,
    owned,
    options,
    breaker,
    run: (operation) =>
      options.breakerBackoffMs === 0 ? runDirect(operation) : breaker.run(() => runDirect(operation)),
    async ping() {
      await ping();
      breaker.succeeded();
    },
    async masters() {
      if (!(client instanceof Cluster)) return [client];
      const nodes = client.nodes('master');
      if (nodes.length === 0) throw unreachable();
      return nodes;
    },
    duplicateForSubscribe() {
      const subscriber =
        client instanceof Cluster
          ? client.duplicate([], { enableOfflineQueue: true, lazyConnect: false })
          : client.duplicate({ enableOfflineQueue: true, lazyConnect: false });
      subscriber.on('error', () => undefined);
      subscriber.on('node error', () => undefined);
      return subscriber;
    },
    async close() {
      if (closed) return;
      closed = true;
      breaker.close();
      if (!owned) {
        client.off('error', onError);
        client.off('node error', onError);
        client.off('ready', onReady);
        return;
      }
      await closeClient(client, options.commandTimeoutMs);
    },
  };
}

/** QUIT when connected, then disconnect, and wait (bounded) for the connection to end. Never throws. */
export async function closeClient(client: Redis | Cluster, timeoutMs: number): Promise<void> {
  if (client.status === 'end') return;
  const timers: NodeJS.Timeout[] = [];
  const within = (promise: Promise<unknown>) =>
    Promise.race([promise, new Promise((resolve) => timers.push(setTimeout(resolve, timeoutMs)))]);
  let onEnd: (() => void) | undefined;
  const ended = new Promise<void>((resolve) => {
    onEnd = resolve;
    client.once('end', resolve);
  });
  if (client.status === 'ready') await within(client.quit().catch(() => undefined));
  // Between two reconnection attempts there is no socket: disconnect() only cancels the next attempt,
  // and no 'end' event follows.
  const idle = client.status === 'reconnecting';
  if ((client.status as string) !== 'end') client.disconnect();
  if (!idle) await within(ended);
  client.off('end', onEnd!);
  for (const timer of timers) clearTimeout(timer);
}
