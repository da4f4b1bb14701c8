import { EventEmitter } from 'node:events';
import {
  CacheStats,
  type Clock,
  type EntryMeta,
  type SkipReason,
  type StatsSnapshot,
  systemClock,
} from '@prompt-cache/core';
import { round } from '@prompt-cache/core/store-kit';

/** What happened to one cached call (a Bedrock route or `/v1/ask`). */
export interface RequestRecord {
  /** Epoch ms when it finished. */
  at: number;
  /** `Converse`, `ConverseStream`, `InvokeModel`, `InvokeModelWithResponseStream` or `Ask`. */
  operation: string;
  namespace: string;
  model: string;
  /** `error` when the call failed (upstream or bad input that reached the cache layer). */
  status: 'hit' | 'miss' | 'bypass' | 'error';
  /** The cache key, `''` when bypassed or unknown. */
  key: string;
  /** Latency seen by the caller, in ms (for a stream: until its last frame was written). */
  latencyMs: number;
  /** What a hit saved; zeros otherwise. */
  savedUsd: number;
  savedTokens: number;
  savedMs: number;
  /** What a miss cost, when the price is known. */
  costUsd: number | null;
  /** Why the answer was not stored, in one word; absent when it was (or for a hit). */
  notStored?: string;
  /** The error type, for `error`. */
  errorType?: string;
  /** On a semantic hit: how close the cached prompt is (0..1). */
  similarity?: number;
  /** On a semantic hit: the cached prompt that answered (cut to 300 characters). */
  matchedPrompt?: string;
}

/** Longest matched prompt kept in a record (the dashboard shows one line of it). */
const MAX_MATCHED_PROMPT = 300;

/** What a recorder is told about one finished call. */
export interface CallOutcome {
  operation: string;
  namespace: string;
  model: string;
  status: RequestRecord['status'];
  key: string;
  latencyMs: number;
  /** The entry's metadata: usage, cost and original latency (what a hit saved). */
  meta?: EntryMeta;
  saved?: { usd: number; tokens: number; ms: number };
  /** Why the answer of a miss or a bypass was not stored, in one word (`guardrail_intervened`, `bypass`, ...). */
  notStoredCode?: string | undefined;
  errorType?: string;
  /** Set when a hit was semantic: answered by the entry of another prompt, this close to it. */
  semantic?: { similarity: number; matchedPrompt?: string | undefined } | undefined;
}

/** Options of {@link Activity}. */
export interface ActivityOptions {
  /** How many recent requests are kept for the dashboard. Default `200`. */
  recentLimit?: number;
  /** Time source. Default the system clock. */
  clock?: Clock;
  /** Most namespaces with stats of their own; later ones share `other`. Default `1000`. */
  maxNamespaces?: number;
}

/** The window over which requests per second are counted, in ms. */
const RATE_WINDOW_MS = 10_000;
/** Seconds kept for the rate: the window, and the second in progress. */
const RATE_SLOTS = RATE_WINDOW_MS / 1000 + 1;

/**
 * The gateway's record of what it served: statistics per namespace and in total (core's `CacheStats`, so the
 * percentiles and savings are computed as everywhere else), the recent requests for the dashboard, and a
 * `request` event for live updates (SSE) and metrics.
 */
export class Activity extends EventEmitter<{ request: [RequestRecord] }> {
  readonly total = new CacheStats();
  private readonly byNamespace = new Map<string, CacheStats>();
  /** The recent requests, a ring: `recentCount` of them, the oldest at `recentStart`. */
  private readonly recent: RequestRecord[] = [];
  private recentStart = 0;
  private readonly recentLimit: number;
  private readonly maxNamespaces: number;
  private readonly clock: Clock;
  /** Requests finished in each of the last seconds, a ring indexed by epoch second, for the request rate. */
  private readonly perSecond = new Float64Array(RATE_SLOTS);
  /** The epoch second each slot of `perSecond` counts. */
  private readonly slotSecond = new Float64Array(RATE_SLOTS).fill(-1);
  readonly startedAt: number;

  constructor(options: ActivityOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.recentLimit = options.recentLimit ?? 200;
    this.maxNamespaces = options.maxNamespaces ?? 1000;
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
  }

  /** Records one finished call and announces it. */
  record(outcome: CallOutcome): RequestRecord {
    const meta = outcome.meta ?? {};
    const stats = [this.total, this.statsOf(outcome.namespace, true)!];
    for (const target of stats) {
      if (outcome.status === 'hit')
        target.recordHit(outcome.key, outcome.latencyMs, meta, false, outcome.semantic?.similarity);
      else if (outcome.status === 'miss') target.recordMiss(outcome.key, outcome.latencyMs, meta);
      else if (outcome.status === 'bypass') target.recordBypass();
      else target.recordError(outcome.operation, outcome.errorType, outcome.key || undefined);
      if (outcome.notStoredCode && outcome.status === 'miss') {
        target.recordSkip(outcome.key, skipReasonOf(outcome.notStoredCode), outcome.notStoredCode);
      }
    }
    const hit = outcome.status === 'hit';
    const semantic = hit ? outcome.semantic : undefined;
    const record: RequestRecord = {
      at: this.clock.now(),
      operation: outcome.operation,
      namespace: outcome.namespace,
      model: outcome.model,
      status: outcome.status,
      key: outcome.key,
      latencyMs: round(outcome.latencyMs, 3),
      savedUsd: hit ? (outcome.saved?.usd ?? meta.costUsd ?? 0) : 0,
      savedTokens: hit ? (outcome.saved?.tokens ?? 0) : 0,
      savedMs: hit ? round(outcome.saved?.ms ?? 0, 3) : 0,
      costUsd: outcome.status === 'miss' ? (meta.costUsd ?? null) : null,
      errorType: outcome.errorType,
    };
    // Optional fields are added after the literal rather than spread into it, so that records share hidden classes.
    if (outcome.notStoredCode && outcome.status !== 'hit') record.notStored = outcome.notStoredCode;
    if (semantic) {
      record.similarity = Math.round(semantic.similarity * 10_000) / 10_000;
      if (semantic.matchedPrompt !== undefined)
        record.matchedPrompt = semantic.matchedPrompt.slice(0, MAX_MATCHED_PROMPT);
    }
    if (this.recent.length < this.recentLimit) this.recent.push(record);
    else {
      this.recent[this.recentStart] = record;
      this.recentStart = (this.recentStart + 1) % this.recentLimit;
    }
    const second = Math.floor(record.at / 1000);
    const slot = second % RATE_SLOTS;
    if (this.slotSecond[slot] !== second) {
      this.slotSecond[slot] = second;
      this.perSecond[slot] = 0;
    }
    this.perSecond[slot]! += 1;
    this.emit('request', record);
    return record;
  }

  /** Counts a refused request (bad input, unknown route, no key) in the totals and, when known, the namespace. */
  recordRejected(namespace: string | undefined, errorType: string): void {
    this.total.recordError('request', errorType);
    if (namespace !== undefined) this.statsOf(namespace, true)!.recordError('request', errorType);
  }

  /** Statistics of one namespace (zeros when it has none yet), or of every namespace. */
  snapshot(namespace?: string): StatsSnapshot {
    if (namespace === undefined) return this.total.snapshot();
    return (this.statsOf(namespace, false) ?? new CacheStats()).snapshot();
  }

  /** Requests per second over the last 10 s, of every namespace. */
  requestsPerSecond(): number {
    const now = this.clock.now();
    const oldest = Math.floor((now - RATE_WINDOW_MS) / 1000);
    let count = 0;
    for (let slot = 0; slot < RATE_SLOTS; slot++) {
      if (this.slotSecond[slot]! > oldest) count += this.perSecond[slot]!;
    }
    const span = Math.min(RATE_WINDOW_MS, Math.max(1000, now - this.startedAt));
    return round((count * 1000) / span, 3);
  }

  /** The most recent requests, newest last; only those of `namespace` when given. */
  recentRequests(namespace?: string, limit = this.recentLimit): RequestRecord[] {
    const inOrder = [...this.recent.slice(this.recentStart), ...this.recent.slice(0, this.recentStart)];
    const matching =
      namespace === undefined ? inOrder : inOrder.filter((record) => record.namespace === namespace);
    return matching.slice(-limit);
  }

  private statsOf(namespace: string, create: boolean): CacheStats | undefined {
    let stats = this.byNamespace.get(namespace);
    if (stats || !create) return stats;
    if (this.byNamespace.size >= this.maxNamespaces) return this.statsOf('other', true);
    stats = new CacheStats();
    this.byNamespace.set(namespace, stats);
    return stats;
  }
}

/** The core's skip counter a not-stored word belongs to. */
function skipReasonOf(word: string): SkipReason {
  return word === 'sensitive' || word === 'oversize' ? word : 'not-cacheable';
}
