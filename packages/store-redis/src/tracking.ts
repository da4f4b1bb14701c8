import type { Redis } from 'ioredis';
import { type InvalidationListener, listenForInvalidations } from './invalidation-listener.js';
import type { NearCache } from './near-cache.js';

/** What a store with `nearCache` shows of it. */
export interface NearCacheState {
  /** True while Redis tracks this process's reads, so that remembered entries may be served. */
  readonly active: boolean;
  /** Entries remembered now. */
  readonly entries: number;
  /** Resolves once tracking is on (at once when it is). */
  whenActive(): Promise<void>;
  /**
   * Resolves once every invalidation Redis sent before now has been applied: after another process wrote, a read
   * that follows `sync()` sees the write.
   */
  sync(): Promise<void>;
}

/**
 * Keeps Redis tracking this client's reads (`CLIENT TRACKING ON REDIRECT`) into a listener connection, and the near
 * cache in step: every lost connection, on either side, forgets everything until tracking is on again.
 */
export function startTracking(
  client: Redis,
  near: NearCache,
  reconnectMaxDelayMs: number,
): NearCacheState & { close(): void } {
  const { host, port, path, tls, username, password } = client.options;
  let listener: InvalidationListener | undefined;
  let listenerId: number | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  let waiters: Array<() => void> = [];

  const activate = () => {
    near.activate();
    failures = 0;
    for (const resolve of waiters.splice(0)) resolve();
  };
  const retryLater = (step: () => void) => {
    if (closed || retry) return;
    const delay = Math.min(50 * 2 ** Math.min(failures++, 10), reconnectMaxDelayMs);
    retry = setTimeout(() => {
      retry = undefined;
      step();
    }, delay);
    retry.unref();
  };
  const enable = () => {
    if (closed || listenerId === undefined || client.status !== 'ready' || near.active) return;
    // Off first, so that a new listener id replaces the old one whatever the server's version does.
    const id = String(listenerId);
    client
      .call('CLIENT', 'TRACKING', 'OFF')
      .then(() => client.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id))
      .then(() => {
        if (!closed && client.status === 'ready' && String(listenerId) === id) activate();
      })
      .catch(() => retryLater(enable));
  };
  const listen = () => {
    if (closed) return;
    listenerId = undefined;
    const current = listenForInvalidations(
      {
        host,
        port,
        path: path ?? undefined,
        tls: tls ? { ...tls } : undefined,
        username: username ?? undefined,
        password: password ?? undefined,
      },
      {
        onKeys: (keys) => near.invalidate(keys),
        onDown: () => {
          near.deactivate();
          if (listener === current) retryLater(listen);
        },
      },
    );
    listener = current;
    current.ready.then(
      (id) => {
        if (listener !== current) return;
        listenerId = id;
        enable();
      },
      () => undefined, // onDown retries
    );
  };
  const lost = () => near.deactivate();
  client.on('close', lost);
  client.on('end', lost);
  client.on('ready', enable);
  listen();

  return {
    get active() {
      return near.active;
    },
    get entries() {
      return near.entries;
    },
    whenActive: () => (near.active ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    sync: async () => {
      if (near.active) await listener?.sync().catch(() => undefined);
    },
    close() {
      closed = true;
      clearTimeout(retry);
      near.deactivate();
      listener?.close();
      client.off('close', lost);
      client.off('end', lost);
      client.off('ready', enable);
      waiters = [];
    },
  };
}
