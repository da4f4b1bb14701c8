import {
  type Clock,
  CorruptEntryError,
  InvalidOptionError,
  StoreUnavailableError,
  systemClock,
} from '@prompt-cache/core';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.js';
import type { RedisStoreOptions } from './options.js';

export const DEFAULT_KEY_PREFIX = 'prompt-cache:';
export const DEFAULT_URL = 'redis://127.0.0.1:6379';

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
  breakerBackoffMs: number;
  breakerMaxBackoffMs: number;
  clock: Clock;
}

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

interface ParsedUrl {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

function parseRedisUrl(url: string): ParsedUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionError(
      `[store-redis] url is not a URL: ${JSON.stringify(url)}; expected redis://host:port`,
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new InvalidOptionError(
      `[store-redis] url must start with redis:// or rediss://; got ${JSON.stringify(parsed.protocol.replace(/:$/, ''))}`,
    );
  }
  const dbText = parsed.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) {
    throw new InvalidOptionError(
      `[store-redis] the database in url must be a whole number; got ${JSON.stringify(dbText)}`,
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
    const url = parseRedisUrl(options.url ?? DEFAULT_URL);
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

const AUTH_FAILURE = /^(WRONGPASS|NOAUTH|NOPERM)\b|invalid password|invalid username-password/i;
/** The reply parser met bytes that are no Redis reply: the server speaks another protocol. */
const NOT_RESP = /Unknown RESP type|Protocol error/i;

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

  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  const reasonOf = (error: Error | undefined) => {
    if (!error) return 'not connected';
    const code = (error as NodeJS.ErrnoException).code;
    if (code) return code;
    const message = oneLine(error.message);
    return message.length > 80 ? `${message.slice(0, 77)}...` : message;
  };

  const timeoutError = (cause?: unknown) =>
    new StoreUnavailableError(
      `[store-redis] ${target} did not answer within ${options.commandTimeoutMs} ms; is the server paused or overloaded? (raise commandTimeoutMs if it is only slow)`,
      { timeout: true, cause },
    );
  const unreachable = (cause?: unknown) => {
    if (lastError && AUTH_FAILURE.test(lastError.message)) return refusedCredentials(lastError);
    if (lastError && NOT_RESP.test(lastError.message)) return notRedis(lastError);
    return new StoreUnavailableError(
      `[store-redis] cannot reach ${target} (${reasonOf(lastError)}); is redis-server running?`,
      { cause: cause ?? lastError },
    );
  };
  // Something answered, but not in the Redis protocol (an HTTP server answers "HTTP/1.1 ...": RESP type 72).
  const notRedis = (cause: Error) =>
    new StoreUnavailableError(
      `[store-redis] ${target} is not a Redis server (it answered in another protocol, such as HTTP); check the host and port`,
      { cause },
    );
  const refusedCredentials = (cause: Error) =>
    new StoreUnavailableError(
      `[store-redis] ${target} refused the credentials (${oneLine(cause.message).split(' ')[0]}); check username and password`,
      { cause },
    );

  const toStoreError = (error: unknown): Error => {
    if (error instanceof StoreUnavailableError || error instanceof CorruptEntryError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (/Command timed out/i.test(message)) return timeoutError(error);
    if (/^(WRONGPASS|NOAUTH)\b/.test(message)) return refusedCredentials(error as Error);
    if (NOT_RESP.test(message)) return notRedis(error as Error);
    if (/^NOPERM\b/.test(message)) {
      return new StoreUnavailableError(
        `[store-redis] ${target} denied a command (${oneLine(message)}); grant the store's user the commands listed in the README`,
        { cause: error },
      );
    }
    if (
      /Stream isn't writeable|Connection is closed|Cluster isn't ready|max retries per request|None of startup nodes|Failed to refresh slots|CLUSTERDOWN/i.test(
        message,
      ) ||
      (error as NodeJS.ErrnoException).code !== undefined
    ) {
      return unreachable(error);
    }
    return new StoreUnavailableError(`[store-redis] ${target} failed: ${oneLine(message)}`, { cause: error });
  };

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
