import { billedTokens, type EntryMeta } from './entry.js';
import { HISTOGRAM_BUCKETS, LatencyHistogram, type LatencySummary } from './histogram.js';
import { round } from './round.js';

/** Why an answer was returned but not stored. */
export type SkipReason = 'not-cacheable' | 'sensitive' | 'oversize' | 'encode-failed';

export const COUNTER_NAMES = [
  'hits',
  'semanticHits',
  'semanticSimilaritySum',
  'misses',
  'bypasses',
  'coalesced',
  'sets',
  'errors',
  'upstreamErrors',
  'evictions',
  'skipped',
  'skippedSensitive',
  'skippedOversize',
  'savedTokens',
  'savedUsd',
  'savedMs',
  'spentUsd',
] as const;

export type CounterName = (typeof COUNTER_NAMES)[number];

/** Each counter's place in a CacheStats' counts. */
const AT = Object.fromEntries(COUNTER_NAMES.map((name, index) => [name, index])) as Record<
  CounterName,
  number
>;

/** A point-in-time copy of the statistics. */
export interface StatsSnapshot extends Record<CounterName, number> {
  /** hits / (hits + misses), 0 when there were none. */
  hitRate: number;
  /** Mean similarity of the semantic hits, 0 when there were none. */
  semanticSimilarity: number;
  latency: { hit: LatencySummary; miss: LatencySummary };
  /**
   * Answers returned but not stored, by reason: `sensitive`, `oversize`, `encode_failed`, `not_cacheable`, or the
   * word `cacheWhen` gave (such as `guardrail_intervened`). Only reasons that happened are listed.
   */
  notStored: Record<string, number>;
}

export interface StatsEvents {
  hit: { key: string; latencyMs: number; meta: EntryMeta; coalesced: boolean; similarity?: number };
  miss: { key: string; latencyMs: number; meta: EntryMeta };
  set: { key: string; bytes: number };
  skip: { key: string; reason: SkipReason; word: string };
  error: { operation: string; error: unknown; key?: string };
  evict: { key: string; reason: string };
}

type Listener<Name extends keyof StatsEvents> = (event: StatsEvents[Name]) => void;

const HIT_BUCKET = 'hitLatency.';
const NOT_STORED = 'notStored.';
const MISS_BUCKET = 'missLatency.';
// The field name of every bucket, built once: a hit must not turn a number into a string.
const bucketFields = (prefix: string) =>
  Array.from({ length: HISTOGRAM_BUCKETS }, (_, bucket) => prefix + bucket);
const HIT_FIELDS = bucketFields(HIT_BUCKET);
const MISS_FIELDS = bucketFields(MISS_BUCKET);

/**
 * Hits, misses, errors, money and time saved, and latency percentiles for hits and misses kept apart.
 * Memory is bounded. Counters can also be collected as deltas for a shared {@link StatsBackend}.
 */
export class CacheStats {
  /** By place (see AT): an indexed array keeps every count at one monomorphic access on the hit path. */
  private readonly counters = new Float64Array(COUNTER_NAMES.length);
  private notStored: Record<string, number> = {};
  private readonly hitLatency = new LatencyHistogram();
  private readonly missLatency = new LatencyHistogram();
  private readonly listeners = new Map<keyof StatsEvents, Set<Listener<never>>>();
  private pending: Record<string, number> | undefined;

  /** Start collecting deltas for {@link takeDelta} (used when a store keeps shared stats). */
  trackDeltas(): void {
    this.pending ??= {};
  }

  /** A hit; `similarity` marks a semantic hit (counted in `hits` and apart in `semanticHits`). */
  recordHit(key: string, latencyMs: number, meta: EntryMeta, coalesced = false, similarity?: number): void {
    this.add(AT.hits, 1);
    if (similarity !== undefined) {
      this.add(AT.semanticHits, 1);
      this.add(AT.semanticSimilaritySum, similarity);
    }
    if (coalesced) this.add(AT.coalesced, 1);
    else this.addBucket(HIT_FIELDS, this.hitLatency.record(latencyMs));
    if (meta.usage) this.add(AT.savedTokens, billedTokens(meta.usage));
    if (meta.costUsd) this.add(AT.savedUsd, meta.costUsd);
    if (meta.latencyMs) this.add(AT.savedMs, Math.max(0, meta.latencyMs - latencyMs));
    if (this.listeners.size) this.emit('hit', { key, latencyMs, meta, coalesced, similarity });
  }

  recordMiss(key: string, latencyMs: number, meta: EntryMeta): void {
    this.add(AT.misses, 1);
    this.addBucket(MISS_FIELDS, this.missLatency.record(latencyMs));
    if (meta.costUsd) this.add(AT.spentUsd, meta.costUsd);
    if (this.listeners.size) this.emit('miss', { key, latencyMs, meta });
  }

  recordBypass(): void {
    this.add(AT.bypasses, 1);
  }

  recordSet(key: string, bytes: number): void {
    this.add(AT.sets, 1);
    if (this.listeners.size) this.emit('set', { key, bytes });
  }

  /** An answer returned but not stored; `word` says why in a word (default: the reason, `oversize` say). */
  recordSkip(key: string, reason: SkipReason, word: string = reason.replaceAll('-', '_')): void {
    this.add(
      reason === 'sensitive' ? AT.skippedSensitive : reason === 'oversize' ? AT.skippedOversize : AT.skipped,
      1,
    );
    this.notStored[word] = (this.notStored[word] ?? 0) + 1;
    if (this.pending) this.pending[NOT_STORED + word] = (this.pending[NOT_STORED + word] ?? 0) + 1;
    if (this.listeners.size) this.emit('skip', { key, reason, word });
  }

  recordError(operation: string, error: unknown, key?: string): void {
    this.add(AT.errors, 1);
    if (this.listeners.size) this.emit('error', { operation, error, key });
  }

  /** The model call itself failed (the error went back to the caller; nothing was stored). */
  recordUpstreamError(error: unknown, key?: string): void {
    this.add(AT.upstreamErrors, 1);
    if (this.listeners.size) this.emit('error', { operation: 'compute', error, key });
  }

  recordEviction(key: string, reason: string): void {
    this.add(AT.evictions, 1);
    if (this.listeners.size) this.emit('evict', { key, reason });
  }

  snapshot(): StatsSnapshot {
    return buildSnapshot(countersFrom(this.counters), this.hitLatency, this.missLatency, {
      ...this.notStored,
    });
  }

  reset(): void {
    this.counters.fill(0);
    this.notStored = {};
    this.hitLatency.reset();
    this.missLatency.reset();
    if (this.pending) this.pending = {};
  }

  /** Puts back a delta that could not be delivered, so the next flush retries it. */
  requeueDelta(delta: Record<string, number>): void {
    if (!this.pending) return;
    for (const [field, amount] of Object.entries(delta))
      this.pending[field] = (this.pending[field] ?? 0) + amount;
  }

  /** Returns and forgets the changes since the last call, as flat fields for a {@link StatsBackend}. */
  takeDelta(): Record<string, number> {
    const delta = this.pending ?? {};
    if (this.pending) this.pending = {};
    return delta;
  }

  on<Name extends keyof StatsEvents>(name: Name, listener: Listener<Name>): () => void {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    set.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  off<Name extends keyof StatsEvents>(name: Name, listener: Listener<Name>): void {
    const set = this.listeners.get(name);
    set?.delete(listener as Listener<never>);
    if (set?.size === 0) this.listeners.delete(name);
  }

  private emit<Name extends keyof StatsEvents>(name: Name, event: StatsEvents[Name]): void {
    for (const listener of this.listeners.get(name) ?? []) (listener as Listener<Name>)(event);
  }

  private add(counter: number, amount: number): void {
    this.counters[counter]! += amount;
    if (this.pending) {
      const name = COUNTER_NAMES[counter]!;
      this.pending[name] = (this.pending[name] ?? 0) + amount;
    }
  }

  private addBucket(fields: readonly string[], bucket: number): void {
    if (!this.pending) return;
    const field = fields[bucket]!;
    this.pending[field] = (this.pending[field] ?? 0) + 1;
  }
}

/** Separates a namespace from a field name in shared stats (namespaces hold no `/`). */
const NAMESPACE_SEPARATOR = '/';

/** The fields of a delta as a namespace writes them to a {@link StatsBackend}: `<namespace>/<field>`. */
export function namespacedFields(namespace: string, delta: Record<string, number>): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const [field, amount] of Object.entries(delta))
    fields[namespace + NAMESPACE_SEPARATOR + field] = amount;
  return fields;
}

/**
 * Shared stats split by namespace, and their total across namespaces. Fields written without a namespace (by
 * versions before stats were kept per namespace) count in the total only.
 */
export function statsByNamespace(fields: Record<string, number>): {
  total: StatsSnapshot;
  namespaces: Record<string, StatsSnapshot>;
} {
  const total: Record<string, number> = {};
  const split = new Map<string, Record<string, number>>();
  for (const [field, amount] of Object.entries(fields)) {
    const at = field.indexOf(NAMESPACE_SEPARATOR);
    const name = at === -1 ? field : field.slice(at + 1);
    total[name] = (total[name] ?? 0) + amount;
    if (at === -1) continue;
    const namespace = field.slice(0, at);
    const own = split.get(namespace) ?? {};
    split.set(namespace, own);
    own[name] = amount;
  }
  const namespaces: Record<string, StatsSnapshot> = {};
  for (const [namespace, own] of split) namespaces[namespace] = snapshotFromFields(own);
  return { total: snapshotFromFields(total), namespaces };
}

/** The shared stats of one namespace; zeros when it has none. */
export function namespaceStats(fields: Record<string, number>, namespace: string): StatsSnapshot {
  const prefix = namespace + NAMESPACE_SEPARATOR;
  const own: Record<string, number> = {};
  for (const [field, amount] of Object.entries(fields)) {
    if (field.startsWith(prefix)) own[field.slice(prefix.length)] = amount;
  }
  return snapshotFromFields(own);
}

/** Rebuilds a snapshot from the flat fields a {@link StatsBackend} holds (shared or persisted stats). */
export function snapshotFromFields(fields: Record<string, number>): StatsSnapshot {
  const counters = zeroCounters();
  const hit = new LatencyHistogram();
  const miss = new LatencyHistogram();
  const notStored: Record<string, number> = {};
  for (const [field, value] of Object.entries(fields)) {
    const amount = Number(value);
    if (!Number.isFinite(amount)) continue;
    if (field.startsWith(NOT_STORED)) {
      if (amount !== 0) notStored[field.slice(NOT_STORED.length)] = amount;
    } else if (field.startsWith(HIT_BUCKET)) hit.addBucket(Number(field.slice(HIT_BUCKET.length)), amount);
    else if (field.startsWith(MISS_BUCKET)) miss.addBucket(Number(field.slice(MISS_BUCKET.length)), amount);
    else if ((COUNTER_NAMES as readonly string[]).includes(field)) counters[field as CounterName] = amount;
  }
  return buildSnapshot(counters, hit, miss, notStored);
}

function buildSnapshot(
  counters: Record<CounterName, number>,
  hit: LatencyHistogram,
  miss: LatencyHistogram,
  notStored: Record<string, number>,
): StatsSnapshot {
  const lookups = counters.hits + counters.misses;
  return {
    ...counters,
    savedUsd: round(counters.savedUsd, 12),
    spentUsd: round(counters.spentUsd, 12),
    hitRate: lookups === 0 ? 0 : counters.hits / lookups,
    semanticSimilarity:
      counters.semanticHits === 0 ? 0 : counters.semanticSimilaritySum / counters.semanticHits,
    latency: { hit: hit.summary(), miss: miss.summary() },
    notStored,
  };
}

function zeroCounters(): Record<CounterName, number> {
  return countersFrom(new Float64Array(COUNTER_NAMES.length));
}

function countersFrom(counts: Float64Array): Record<CounterName, number> {
  return Object.fromEntries(COUNTER_NAMES.map((name, index) => [name, counts[index]!])) as Record<
    CounterName,
    number
  >;
}
