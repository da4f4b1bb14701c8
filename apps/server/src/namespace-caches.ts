import {
  type AppSession,
  type AppSettings,
  type ModelConnection,
  openSession,
  type SessionOptions,
} from '@prompt-cache/app-kit';
import type { CacheStore } from '@prompt-cache/core';
import type { Upstream } from './upstream.js';

/** Options of {@link NamespaceCaches}. */
export interface NamespaceCachesOptions {
  upstream: Upstream;
  store: CacheStore;
  /** The gateway's settings (TTL, model, ...); each namespace's session gets them with its own namespace. */
  settings: AppSettings;
  /** Most namespaces with a session at once; the least recently used is closed first. Default `256`. */
  maxNamespaces?: number;
  /** The decision rule and embedder of semantic matching, when `settings.semantic` is on. Default: the defaults. */
  semantic?: SessionOptions['semantic'];
  /** Called once per model that has no price. Default: nothing. */
  onUnknownModel?: (model: string) => void;
  /** Called for every failure a session's cache absorbed (store errors, and the model's own). Default: nothing. */
  onCacheError?: (event: { operation: string; error: unknown }) => void;
}

/**
 * app-kit sessions, one per namespace, opened on first use. Each has an unmodified `BedrockRuntimeClient` with
 * `@prompt-cache/bedrock`'s middleware (a client carries one cache, so one client per namespace). They share
 * the store; the namespace is part of every key (`<namespace>:v1:<sha256>`), so one tenant never reads
 * another's entries.
 */
export class NamespaceCaches {
  private readonly sessions = new Map<string, Promise<AppSession>>();
  /** The sessions of `sessions` that are open, for {@link ready}. */
  private readonly open = new Map<string, AppSession>();
  /** The namespace last in `sessions` (the most recently used). */
  private newest: string | undefined;
  private readonly maxNamespaces: number;
  /** The store as each session sees it: closing a session must not close the shared store. */
  private readonly shared: CacheStore;

  constructor(private readonly options: NamespaceCachesOptions) {
    this.maxNamespaces = options.maxNamespaces ?? 256;
    this.shared = withoutClose(options.store);
  }

  /** The session of a namespace. */
  get(namespace: string): Promise<AppSession> {
    const existing = this.sessions.get(namespace);
    if (existing) {
      this.touch(namespace, existing);
      return existing;
    }
    if (this.sessions.size >= this.maxNamespaces) {
      const [oldest] = this.sessions.keys();
      if (oldest !== undefined) void this.retire(oldest).catch(() => undefined);
    }
    const session = this.openSession(namespace);
    this.sessions.set(namespace, session);
    this.newest = namespace;
    session.then(
      (opened) => {
        if (this.sessions.get(namespace) === session) this.open.set(namespace, opened);
      },
      () => this.sessions.delete(namespace),
    );
    return session;
  }

  /** The session of a namespace when it is already open, without waiting; `undefined` when it is not. */
  ready(namespace: string): AppSession | undefined {
    const session = this.open.get(namespace);
    if (session !== undefined) this.touch(namespace, this.sessions.get(namespace)!);
    return session;
  }

  /** Marks a namespace the most recently used: last in `sessions` (most calls come from the one used last). */
  private touch(namespace: string, session: Promise<AppSession>): void {
    if (namespace === this.newest) return;
    this.sessions.delete(namespace);
    this.sessions.set(namespace, session);
    this.newest = namespace;
  }

  /**
   * Prompts in the semantic index of a namespace (`undefined`: of every open namespace), or `null` when semantic
   * matching is off. A namespace's index lives in its session, so it is counted only while that is open.
   */
  async semanticIndexed(namespace?: string): Promise<number | null> {
    if (!this.options.settings.semantic) return null;
    const names = namespace === undefined ? [...this.sessions.keys()] : [namespace];
    let total = 0;
    for (const name of names) {
      const session = await this.sessions.get(name)?.catch(() => undefined);
      const semantic = session?.controller.semantic;
      if (semantic) total += (await semantic.loaded()).index.size();
    }
    return total;
  }

  /** Closes every session (flushing its stats) and destroys its client; the store stays open. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((namespace) => this.retire(namespace)));
  }

  private openSession(namespace: string): Promise<AppSession> {
    const { upstream } = this.options;
    const client = upstream.createClient();
    const connection: ModelConnection = {
      client,
      provider: upstream.provider,
      region: upstream.region,
      endpoint: upstream.endpoint,
      notice: upstream.notice,
      createClient: () => upstream.createClient(),
      close: async () => client.destroy(),
    };
    const opened = openSession({
      settings: { ...this.options.settings, namespace },
      store: this.shared,
      connection,
      // Each namespace has its own session, hence its own semantic index, kept with a file or Redis store apart
      // from the other namespaces' (a file or Redis keys of its own): tenants never share semantic hits, and a
      // session loads its own namespace's prompts only.
      ...(this.options.semantic ? { semantic: this.options.semantic } : {}),
      ...(this.options.onUnknownModel ? { onUnknownModel: this.options.onUnknownModel } : {}),
    });
    const onCacheError = this.options.onCacheError;
    return onCacheError
      ? opened.then((session) => {
          session.onCacheError(onCacheError);
          return session;
        })
      : opened;
  }

  private async retire(namespace: string): Promise<void> {
    const session = this.sessions.get(namespace);
    if (!session) return;
    this.sessions.delete(namespace);
    this.open.delete(namespace);
    await (await session).close();
  }
}

/** A view of a store without `close`, with its methods bound once. */
function withoutClose(store: CacheStore): CacheStore {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      if (property === 'close') return undefined;
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(property);
      if (method === undefined) {
        method = value.bind(target);
        bound.set(property, method);
      }
      return method;
    },
  });
}
