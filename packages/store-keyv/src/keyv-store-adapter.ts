import { EventEmitter } from 'node:events';
import { type CacheStore, type Clock, InvalidOptionError, systemClock } from '@prompt-cache/core';
import { ENTRY_SCHEMA_VERSION } from '@prompt-cache/core/store-kit';

export interface KeyvStoreAdapterOptions {
  /** Time source for the expiry of values set with a ttl. Default the system clock. */
  clock?: Clock;
}

// Keyv hands its adapters serialized strings; with `serialize: undefined` it hands them objects, kept as JSON.
const JSON_VALUE = 'keyv-json';

/**
 * A prompt-cache store (memory, file, Redis, or your own) as a Keyv storage adapter:
 * `new Keyv({ store: new KeyvStoreAdapter(createRedisStore({ url })) })`.
 * Keyv prefixes keys with its namespace; `clear()` removes only that namespace's keys.
 */
export class KeyvStoreAdapter extends EventEmitter {
  /** Read by Keyv. The dialect tells Keyv it may not call `iterator()`, which prompt-cache stores lack. */
  readonly opts = { dialect: 'prompt-cache', url: '' };
  /** Set by Keyv to its namespace. */
  namespace?: string | undefined;
  readonly #store: CacheStore;
  readonly #clock: Clock;

  constructor(store: CacheStore, options: KeyvStoreAdapterOptions = {}) {
    super();
    if (typeof store?.get !== 'function' || typeof store.set !== 'function') {
      throw new InvalidOptionError(
        '[store-keyv] new KeyvStoreAdapter(store) needs a prompt-cache store, e.g. createMemoryStore()',
      );
    }
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    const entry = await this.#store.get(key);
    if (entry === undefined) return undefined;
    const text = typeof entry.value === 'string' ? entry.value : Buffer.from(entry.value).toString();
    return (entry.meta.extra?.[JSON_VALUE] ? JSON.parse(text) : text) as Value;
  }

  async getMany<Value>(keys: string[]): Promise<Array<Value | undefined>> {
    return Promise.all(keys.map((key) => this.get<Value>(key)));
  }

  async has(key: string): Promise<boolean> {
    return (await this.#store.get(key)) !== undefined;
  }

  /** `ttl` in milliseconds, as Keyv counts it. */
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const now = this.#clock.now();
    const isText = typeof value === 'string';
    await this.#store.set(key, {
      version: ENTRY_SCHEMA_VERSION,
      value: isText ? value : JSON.stringify(value),
      createdAt: now,
      expiresAt: typeof ttl === 'number' && ttl > 0 ? now + ttl : null,
      meta: isText ? {} : { extra: { [JSON_VALUE]: true } },
    });
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.#store.delete(key);
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    const removed = await Promise.all(keys.map((key) => this.#store.delete(key)));
    return removed.some(Boolean);
  }

  async clear(): Promise<void> {
    await this.#store.clear(this.namespace ? `${this.namespace}:` : undefined);
  }

  async disconnect(): Promise<void> {
    await this.#store.close?.();
  }
}
