import {
  type CacheEntry,
  type CacheStats,
  type CacheStore,
  type Clock,
  type EncryptionOptions,
  type StatsSnapshot,
  systemClock,
} from '@prompt-cache/core';
import {
  createEncryptedCodec,
  createJsonCodec,
  encodedSize,
  type StoreSize,
  snapshotFromFields,
  statsByNamespace,
} from '@prompt-cache/core/store-kit';

/** Statistics of a store, with where they came from. */
export interface StoreStats {
  /** Counters, hit rate, latency percentiles, tokens and USD saved. */
  snapshot: StatsSnapshot;
  /**
   * `persisted`: the store keeps statistics of every process and run (file, Redis); `process`: only this
   * process's own (memory store, or a store with no stats capability).
   */
  scope: 'persisted' | 'process';
  /** Entry and byte counts of the whole store (every namespace), when the store can count them. */
  size: StoreSize | undefined;
  /** The namespace `snapshot` belongs to; `undefined` when it is the total across namespaces. */
  namespace: string | undefined;
  /** The total across namespaces (the same as `snapshot` when no namespace was asked for). */
  allNamespaces: StatsSnapshot;
  /** The namespaces that have persisted statistics, sorted. */
  namespaces: string[];
}

/**
 * Reads a store's statistics: the persisted figures when the store keeps them (file, Redis) of `namespace`, or
 * their total across namespaces when none is given; else the given in-process stats (or zeros). Rejects with the
 * store's one-line error when its backend is unreachable.
 */
export async function readStoreStats(
  store: CacheStore,
  local?: CacheStats,
  namespace?: string,
): Promise<StoreStats> {
  const size = store.size ? await store.size() : undefined;
  if (store.stats) {
    const split = statsByNamespace(await store.stats.read());
    const own =
      namespace === undefined ? split.total : (split.namespaces[namespace] ?? emptyStats().snapshot());
    return {
      snapshot: own,
      scope: 'persisted',
      size,
      namespace,
      allNamespaces: split.total,
      namespaces: Object.keys(split.namespaces).sort(),
    };
  }
  const snapshot = (local ?? emptyStats()).snapshot();
  return { snapshot, scope: 'process', size, namespace, allNamespaces: snapshot, namespaces: [] };
}

/** Sets a store's persisted statistics back to zero. Resolves `false` when the store keeps none. */
export async function resetStoreStats(store: CacheStore): Promise<boolean> {
  if (!store.stats) return false;
  await store.stats.reset();
  return true;
}

/** One stored entry, summarised. */
export interface EntrySummary {
  key: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms, or `null` for no expiry. */
  expiresAt: number | null;
  /** Seconds until it expires (rounded down), or `null` for no expiry. */
  ttlLeftSeconds: number | null;
  /** Size of the encoded value. */
  bytes: number;
  model: string | undefined;
  provider: string | undefined;
  /** Cost of the original call; `null` when the model's price is unknown, `undefined` when not recorded. */
  costUsd: number | null | undefined;
  /** Latency of the original call, the time each hit saves. */
  latencyMs: number | undefined;
}

/** Options of {@link listEntries}. */
export interface ListEntriesOptions {
  /** Only keys that start with this, e.g. `'prompt-cache:'`. Default: every key. */
  prefix?: string;
  /** Most entries returned. Default `1000`. */
  limit?: number;
  /** Time source for the TTL left. Default the system clock. */
  clock?: Clock;
}

/** Capability check with a clear message: a store without `keys` cannot be listed. */
export function canListKeys(store: CacheStore): boolean {
  return typeof store.keys === 'function';
}

/**
 * The live entries of a store (expired ones are skipped), oldest first, at most `limit`.
 * Returns `undefined` when the store cannot list its keys.
 */
export async function listEntries(
  store: CacheStore,
  options: ListEntriesOptions = {},
): Promise<{ entries: EntrySummary[]; truncated: boolean } | undefined> {
  if (!store.keys) return undefined;
  const limit = options.limit ?? 1000;
  const clock = options.clock ?? systemClock;
  const entries: EntrySummary[] = [];
  let truncated = false;
  for await (const key of store.keys(options.prefix)) {
    if (entries.length >= limit) {
      truncated = true;
      break;
    }
    let entry: CacheEntry | undefined;
    try {
      entry = await store.get(key);
    } catch {
      continue; // unreadable: the store removed it, and it is a miss anyway
    }
    if (entry) entries.push(summarizeEntry(key, entry, clock.now()));
  }
  entries.sort((left, right) => left.createdAt - right.createdAt);
  return { entries, truncated };
}

/** A summary of one entry at time `now`. */
export function summarizeEntry(key: string, entry: CacheEntry, now: number): EntrySummary {
  return {
    key,
    createdAt: entry.createdAt,
    expiresAt: entry.expiresAt,
    ttlLeftSeconds: entry.expiresAt === null ? null : Math.max(0, Math.floor((entry.expiresAt - now) / 1000)),
    bytes: encodedSize(entry.value),
    model: entry.meta.model,
    provider: entry.meta.provider,
    costUsd: entry.meta.costUsd,
    latencyMs: entry.meta.latencyMs,
  };
}

/** One entry in full: its summary, metadata and decoded value. */
export interface EntryDetails extends EntrySummary {
  meta: CacheEntry['meta'];
  /** The answer's text, when the value is a recorded Converse or ConverseStream answer. */
  text: string | undefined;
  /** The stored value: parsed JSON when it is JSON text, else the text (or a note for binary values). */
  value: unknown;
}

/**
 * Reads one entry in full. Resolves `undefined` when there is none (or it expired). An unreadable entry is
 * removed by the store and also reads as `undefined`.
 */
export async function inspectEntry(
  store: CacheStore,
  key: string,
  clock: Clock = systemClock,
  encryption?: EncryptionOptions,
): Promise<EntryDetails | undefined> {
  let entry: CacheEntry | undefined;
  try {
    entry = await store.get(key);
  } catch (error) {
    if ((error as { code?: string }).code === 'CORRUPT_ENTRY') return undefined;
    throw error;
  }
  if (!entry) return undefined;
  const value = decodeValue(key, entry.value, encryption);
  return { ...summarizeEntry(key, entry, clock.now()), meta: entry.meta, text: answerTextOf(value), value };
}

/**
 * The text of a recorded Bedrock answer (as `@prompt-cache/bedrock` stores it): the text blocks of a Converse
 * output, or the text deltas of a ConverseStream recording. `undefined` for anything else.
 */
export function answerTextOf(value: unknown): string | undefined {
  const recorded = value as {
    operation?: unknown;
    fields?: { output?: { message?: { content?: Array<{ text?: unknown }> } } };
    events?: Array<{ event?: { contentBlockDelta?: { delta?: { text?: unknown } } } }>;
  } | null;
  if (!recorded || typeof recorded !== 'object') return undefined;
  if (recorded.operation === 'Converse') {
    const content = recorded.fields?.output?.message?.content;
    if (!Array.isArray(content)) return undefined;
    return content.map((block) => (typeof block?.text === 'string' ? block.text : '')).join('');
  }
  if (recorded.operation === 'ConverseStream' && Array.isArray(recorded.events)) {
    return recorded.events
      .map((item) => item?.event?.contentBlockDelta?.delta?.text)
      .filter((text): text is string => typeof text === 'string')
      .join('');
  }
  return undefined;
}

function decodeValue(key: string, value: string | Uint8Array, encryption?: EncryptionOptions): unknown {
  try {
    if (encryption && typeof value !== 'string')
      return createEncryptedCodec(createJsonCodec(), encryption).decode(value, { key });
    if (typeof value !== 'string') return `<${value.byteLength} bytes, binary or encrypted>`;
    return JSON.parse(value);
  } catch {
    return typeof value === 'string' ? value : '<encrypted with a key that is not configured>';
  }
}

/** Removes the entries whose key starts with `prefix` (every entry without one). Returns how many. */
export async function clearEntries(store: CacheStore, prefix?: string): Promise<number> {
  return store.clear(prefix);
}

/** Removes expired entries now. Resolves `undefined` when the store has no `prune` (it expires entries itself, as Redis does). */
export async function pruneEntries(store: CacheStore): Promise<number | undefined> {
  return store.prune ? store.prune() : undefined;
}

function emptyStats(): { snapshot(): StatsSnapshot } {
  return { snapshot: () => snapshotFromFields({}) };
}
