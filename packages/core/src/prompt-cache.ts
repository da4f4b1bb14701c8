import { type Clock, systemClock } from './clock.js';
import { cloneValue, deepFreeze } from './clone.js';
import { type Codec, createJsonCodec } from './codec.js';
import { createEncryptedCodec, type EncryptionOptions } from './encryption-codec.js';
import {
  type CacheEntry,
  ENTRY_SCHEMA_VERSION,
  type EntryMeta,
  encodedSize,
  isExpired,
  savedOf,
} from './entry.js';
import { InvalidOptionError, OutdatedEntryError } from './errors.js';
import { createKeyDeriver, type KeyExplanation, type KeyOptions } from './key.js';
import type { CacheLock, LockHandle } from './lock.js';
import { round } from './round.js';
import type { SemanticMatch, SemanticStage } from './semantic-stage.js';
import {
  CacheStats,
  namespacedFields,
  namespaceStats,
  type SkipReason,
  type StatsSnapshot,
} from './stats.js';
import type { CacheStore } from './store.js';
import { DEFAULT_TTL_SECONDS, expiryFor, parseTtlSeconds } from './ttl.js';
import { withTimeout } from './with-timeout.js';

/** `default` reads then writes; `refresh` skips the read and writes; `bypass` neither reads nor writes. */
export type CacheMode = 'default' | 'refresh' | 'bypass';

/** Options of {@link createPromptCache}: the store, the key options, TTL, codec, policy and timeouts. */
export interface PromptCacheOptions<Request, Response> extends KeyOptions<Request> {
  /** Where entries live. */
  store: CacheStore;
  /** Default TTL in seconds; `0` means no expiry. Default `3600`. */
  ttlSeconds?: number;
  /** Time source for expiry. Default the system clock. */
  clock?: Clock;
  /** Encodes values for the store; decoding must return a fresh copy. Default JSON. */
  codec?: Codec<Response>;
  /**
   * Encrypts every stored value with AES-256-GCM (wrapping `codec`). Entries that cannot be decrypted read
   * as a counted miss. See `encryptionOptionsFromEnv` for keys from `PROMPT_CACHE_ENCRYPTION_KEYS`.
   */
  encryption?: EncryptionOptions;
  /**
   * Decides whether a computed response may be stored: `true` stores it, `false` or a short word saying why
   * (such as `'guardrail_intervened'`) keeps it out; the word is what the stats count it under (`notStored`).
   * Thrown errors are never stored. Default: always.
   */
  cacheWhen?: (response: Response, request: Request) => boolean | string;
  /** Extracts what a later hit reports as saved (model, usage, cost). Default: nothing. */
  describe?: (response: Response, request: Request) => EntryMeta;
  /**
   * Returns a reason when a request or response must not be cached (e.g. it holds personal data).
   * The answer is still returned, and the skip is counted as `skippedSensitive`.
   */
  guard?: (request: Request, response?: Response) => string | undefined;
  /** Largest encoded value that is stored, in bytes. Larger answers are returned but not stored. Default: no limit. */
  maxEntryBytes?: number;
  /** Longest wait for any store operation before it counts as an error and the cache is skipped. Default `1000`. */
  storeTimeoutMs?: number;
  /** Lock for single-flight across processes. Default the store's own `lock`, if it has one; `false` turns it off. */
  lock?: CacheLock | false;
  /** How long a distributed lock is held at most (the compute's budget). Default `60_000`. */
  lockTtlMs?: number;
  /** How long a process waits for another process's compute before computing itself. Default `30_000`. */
  lockWaitMs?: number;
  /** Statistics to record into; pass one to share it between caches. Default a new one. */
  stats?: CacheStats;
  /** How often local stats deltas are flushed to a store that keeps shared stats (`store.stats`). Default `1000` ms. */
  statsFlushMs?: number;
  /**
   * A second-stage lookup tried after an exact miss (for example semantic matching). It returns an entry
   * that answers the request, or `undefined`.
   */
  fallback?: (request: Request, key: string) => Promise<CacheEntry | undefined>;
  /**
   * Semantic matching after an exact miss (`createSemanticStage` from `@prompt-cache/semantic`): a paraphrase
   * of a cached prompt is answered from its entry. Off by default; per call `semantic: false` turns it off.
   */
  semantic?: SemanticStage<Request>;
}

/** Controls for one `getOrCompute` call. */
export interface CallOptions {
  /** Default `'default'`. */
  mode?: CacheMode;
  /** TTL for this call only, in seconds; `0` means no expiry. */
  ttlSeconds?: number;
  /** Labels kept in the entry's metadata. */
  tags?: string[];
  /** `false` skips the semantic stage for this call (exact lookup only). Default `true` when one is configured. */
  semantic?: boolean;
}

/** What `getOrCompute` returns: the value, whether it was a hit, and what the call saved. */
export interface CacheResult<Response> {
  value: Response;
  status: 'hit' | 'miss' | 'bypass';
  key: string;
  /** True when this call waited for an identical call's compute instead of computing itself. */
  coalesced: boolean;
  /** On a miss: whether the answer was stored. */
  stored: boolean;
  /** On a miss that was not stored: why. */
  notStoredReason?: SkipReason | 'store-error';
  /** Model, usage, cost and latency of the original call. */
  meta: EntryMeta;
  /** This call's own latency in milliseconds. */
  latencyMs: number;
  /** What this call saved; zeros on a miss. */
  saved: { ms: number; usd: number; tokens: number };
  createdAt?: number;
  expiresAt?: number | null;
  /** On a semantic hit: the entry that answered, and how close its prompt is to this one. */
  semantic?: { similarity: number; matchedKey: string; matchedPrompt?: string };
}

/** Whether a computed answer was stored, and when it expires. */
export interface StoreOutcome {
  stored: boolean;
  notStoredReason?: SkipReason | 'store-error';
  createdAt?: number;
  expiresAt?: number | null;
}

/** What the exact-match lookup found, decoded. */
export interface CacheHit<Response> {
  value: Response;
  entry: CacheEntry;
}

/**
 * What a compute returns when its caller needs the answer before it is complete (a stream being recorded):
 * `live` goes to the caller at once (and, through `join`, to identical calls in flight), `complete` is the value
 * to store once it is whole. When `complete` rejects (the stream failed or was abandoned), nothing is stored.
 */
export interface LiveAnswer<Live, Response> {
  live: Live;
  complete: Promise<Response>;
}

/** Per-call options of {@link PromptCache.getOrComputeLive}. */
export interface LiveCallOptions<Live> extends CallOptions {
  /**
   * How an identical call in flight shares the leader's live value (e.g. a new reader of its recording), or
   * `undefined` when it can no longer be shared: the call then computes for itself. Default: the same value.
   */
  join?: (live: Live) => Live | undefined;
}

/** What {@link PromptCache.getOrComputeLive} answers: an entry, or a live value whose outcome settles later. */
export type LiveResult<Live, Response> =
  | { kind: 'cached'; result: CacheResult<Response> }
  | {
      kind: 'live';
      live: Live;
      /** `miss` for the call that computes, `hit` (coalesced) for one that joined it, `bypass` when not keyed. */
      status: 'hit' | 'miss' | 'bypass';
      key: string;
      coalesced: boolean;
      /**
       * Once the live value is complete and stored (or not): the leader's outcome. Rejects when it never
       * completes. For a call that joined, `value` is the leader's own (do not change it).
       */
      settled: Promise<CacheResult<Response>>;
    };

/** How a call that found no in-process hit began: see `begin`. */
interface Start {
  started: number;
  mode: CacheMode;
  ttlSeconds: number;
  key: string | undefined;
}

/** An identical call in flight: its outcome, and for a live compute how it started (`undefined`: from an entry). */
interface InFlight<Response> {
  done: Promise<Flight<Response>>;
  started?: Promise<{ live: unknown } | undefined>;
}

interface Flight<Response> {
  value: Response;
  encoded?: string | Uint8Array;
  meta: EntryMeta;
  /** Set when the flight ended by reading another process's entry. */
  entry?: CacheEntry;
  storage?: StoreOutcome;
}

/**
 * The orchestrator: "look up, or else compute once and store" in one call, with single-flight,
 * a cacheability policy, per-call controls and fail-open store handling.
 */
export class PromptCache<Request = unknown, Response = unknown> {
  readonly store: CacheStore;
  readonly stats: CacheStats;
  readonly namespace: string;
  private readonly keys;
  private readonly clock: Clock;
  private readonly codec: Codec<Response>;
  private readonly ttlSeconds: number;
  private readonly timeoutMs: number;
  private readonly lock: CacheLock | undefined;
  /** The store declared `flags.inProcess`: its `get` answers without a promise, so a hit skips the event loop. */
  private readonly inProcess: boolean;
  private readonly inFlight = new Map<string, InFlight<Response>>();
  /** Decoded, frozen values of entries a `reusesEntries` store hands out again and again. */
  private readonly decodedEntries: WeakMap<CacheEntry, Response> | undefined;
  private readonly flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PromptCacheOptions<Request, Response>) {
    if (!options?.store)
      throw new InvalidOptionError('[core] createPromptCache needs a store, e.g. createMemoryStore()');
    this.store = options.store;
    this.keys = createKeyDeriver(options);
    this.namespace = this.keys.namespace;
    this.clock = options.clock ?? systemClock;
    const codec = options.codec ?? createJsonCodec<Response>();
    this.codec = options.encryption ? createEncryptedCodec(codec, options.encryption) : codec;
    this.ttlSeconds = parseTtlSeconds(options.ttlSeconds ?? DEFAULT_TTL_SECONDS, 'ttlSeconds');
    const flags = this.store.flags ?? {};
    this.inProcess = flags.inProcess === true;
    this.timeoutMs = this.inProcess || flags.boundsItsOperations ? 0 : (options.storeTimeoutMs ?? 1000);
    this.lock = options.lock === false ? undefined : (options.lock ?? this.store.lock);
    this.decodedEntries = flags.reusesEntries ? new WeakMap() : undefined;
    this.stats = options.stats ?? new CacheStats();
    this.store.onEvict?.((key, reason) => this.stats.recordEviction(key, reason));
    if (this.store.stats) {
      this.stats.trackDeltas();
      this.flushTimer = setInterval(() => void this.flushStats(), options.statsFlushMs ?? 1000);
      this.flushTimer.unref?.();
    }
  }

  /** The key of a request: `<namespace>:v<version>:<sha256 hex>`. */
  keyFor(request: Request): string {
    return this.keys.keyFor(request);
  }

  /** The canonical material behind a request's key. */
  explain(request: Request): KeyExplanation {
    return this.keys.explain(request);
  }

  /** Returns the cached answer for `request`, or computes it once, stores it, and returns it. */
  getOrCompute(
    request: Request,
    compute: () => Promise<Response>,
    call: CallOptions = {},
  ): Promise<CacheResult<Response>> {
    let start: Start | CacheResult<Response>;
    try {
      start = this.begin(request, call);
    } catch (error) {
      return Promise.reject(error);
    }
    if ('status' in start) return Promise.resolve(start);
    return this.lookupOrCompute(request, start, compute, call);
  }

  /**
   * {@link getOrCompute} for an answer its caller needs before it is complete, such as a stream: a hit answers
   * from the entry; a miss hands back the compute's live value at once and stores its complete value later
   * (`settled`); an identical call in flight joins the live value (`join`). The same single-flight, lock,
   * semantic stage and cacheability rules as {@link getOrCompute} apply.
   */
  getOrComputeLive<Live>(
    request: Request,
    compute: () => Promise<LiveAnswer<Live, Response>>,
    call: LiveCallOptions<Live> = {},
  ): Promise<LiveResult<Live, Response>> {
    let start: Start | CacheResult<Response>;
    try {
      start = this.begin(request, call);
    } catch (error) {
      return Promise.reject(error);
    }
    if ('status' in start) return Promise.resolve({ kind: 'cached', result: start });
    return this.lookupOrComputeLive(request, start, compute, call);
  }

  /**
   * A hit by key alone: looks `key` up and, when it is there, counts the hit and returns what
   * {@link getOrCompute} would have returned, with the entry itself. A miss counts nothing and returns
   * `undefined`, so the caller can go on to `getOrCompute`. For callers that remember the key of a request
   * they have seen before (a gateway keeps one per request body) and skip deriving it again.
   *
   * Unlike `getOrCompute`, the value is not copied: it is the entry's decoded value, deep-frozen and shared
   * with later hits when the store reuses entries. Copy it (`cloneValue`) before changing it. A caller that
   * only reads the answer, or renders it once per entry, then pays nothing for a copy it does not need.
   */
  lookup(key: string): Promise<(CacheResult<Response> & { entry: CacheEntry }) | undefined> {
    const started = performance.now();
    const found = (hit: CacheHit<Response> | undefined) => {
      if (!hit) return undefined;
      const result = this.hit(key, hit, started) as CacheResult<Response> & { entry: CacheEntry };
      result.entry = hit.entry;
      return result;
    };
    if (this.inProcess) return Promise.resolve(found(this.getSync(key, false)));
    return this.get(key, false).then(found);
  }

  /**
   * Exact-match lookup. Records nothing: the caller knows whether it will count a hit or compute.
   * `copy: false` returns the decoded value without copying it (see {@link lookup}).
   */
  async get(key: string, copy = true): Promise<CacheHit<Response> | undefined> {
    let entry: CacheEntry | undefined;
    try {
      entry = await withTimeout(
        Promise.resolve(this.store.get(key)),
        this.timeoutMs,
        `${this.store.name} get`,
      );
    } catch (error) {
      this.stats.recordError('get', error, key);
      return undefined;
    }
    return this.decode(key, entry, copy);
  }

  /**
   * Stores a computed response under `key`, applying the guard, `cacheWhen` and `maxEntryBytes`.
   * Never throws: a store failure is counted and reported as `store-error`.
   */
  async set(
    key: string,
    value: Response,
    context: { request: Request; meta?: EntryMeta; ttlSeconds?: number; tags?: string[] },
  ): Promise<StoreOutcome> {
    let encoded: string | Uint8Array;
    try {
      encoded = this.codec.encode(value, { key });
    } catch (error) {
      this.stats.recordError('encode', error, key);
      return this.skip(key, 'encode-failed');
    }
    const meta = { ...(context.meta ?? this.describe(value, context.request)) };
    if (context.tags) meta.tags = context.tags;
    const ttlSeconds =
      context.ttlSeconds === undefined ? this.ttlSeconds : parseTtlSeconds(context.ttlSeconds);
    return this.storeOutcome(context.request, key, { value, encoded, meta }, ttlSeconds);
  }

  /** Removes the entry of a request (or of a key). */
  async invalidate(requestOrKey: Request | string): Promise<boolean> {
    const key =
      typeof requestOrKey === 'string' && requestOrKey.startsWith(`${this.namespace}:`)
        ? requestOrKey
        : this.keyFor(requestOrKey as Request);
    return this.store.delete(key);
  }

  /** Removes every entry of this cache's namespace (all key versions), and nothing else. */
  async clear(): Promise<number> {
    return this.store.clear(`${this.namespace}:`);
  }

  /** Statistics: this process's own, or this namespace's shared totals when the store keeps them. */
  async snapshot(scope: 'local' | 'shared' = 'shared'): Promise<StatsSnapshot> {
    if (scope === 'local' || !this.store.stats) return this.stats.snapshot();
    await this.flushStats();
    try {
      return namespaceStats(
        await withTimeout(this.store.stats.read(), this.timeoutMs, `${this.store.name} stats`),
        this.namespace,
      );
    } catch (error) {
      // The shared totals are out of reach: this process's own figures are better than zeros.
      this.stats.recordError('stats', error);
      return this.stats.snapshot();
    }
  }

  /** Pushes pending stats to the store's shared stats. Called on a timer and by {@link close}. */
  async flushStats(): Promise<void> {
    const delta = this.stats.takeDelta();
    if (!this.store.stats || Object.keys(delta).length === 0) return;
    try {
      await withTimeout(
        this.store.stats.add(namespacedFields(this.namespace, delta)),
        this.timeoutMs,
        `${this.store.name} stats`,
      );
    } catch (error) {
      this.stats.requeueDelta(delta);
      this.stats.recordError('stats', error);
    }
  }

  /** Flushes stats, stops timers, closes the semantic stage (which may save its index into the store) and the store. */
  async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    try {
      await this.options.semantic?.close?.();
    } catch (error) {
      this.stats.recordError('semantic', error);
    }
    await this.flushStats();
    await this.store.close?.();
  }

  private async lookupOrCompute(
    request: Request,
    { key, mode, ttlSeconds, started }: Start,
    compute: () => Promise<Response>,
    call: CallOptions,
  ): Promise<CacheResult<Response>> {
    if (key === undefined) {
      this.stats.recordBypass();
      const value = await compute();
      return this.result(value, 'bypass', '', this.describe(value, request), started);
    }
    if (mode === 'default') {
      const hit = await this.exactOrFallback(request, key);
      if (hit) return this.hit(key, hit, started);
      const shared = this.inFlight.get(key);
      if (shared) return this.follow(shared.done, key, started);
      // Without a stage, nothing may come between the look at flights in progress and joining them.
      if (this.options.semantic && call.semantic !== false) {
        const semantic = await this.semanticHit(request, key, started);
        if (semantic) return semantic;
      }
    }
    const flight: InFlight<Response> = { done: this.lead(request, key, compute, ttlSeconds, call.tags) };
    this.inFlight.set(key, flight);
    try {
      return this.missResult(key, await flight.done, started);
    } finally {
      this.land(key, flight);
    }
  }

  private async lookupOrComputeLive<Live>(
    request: Request,
    { key, mode, ttlSeconds, started }: Start,
    compute: () => Promise<LiveAnswer<Live, Response>>,
    call: LiveCallOptions<Live>,
  ): Promise<LiveResult<Live, Response>> {
    if (key === undefined) {
      this.stats.recordBypass();
      const { live, complete } = await compute();
      const settled = complete.then((value) =>
        this.result(value, 'bypass', '', this.describe(value, request), started),
      );
      return { kind: 'live', live, status: 'bypass', key: '', coalesced: false, settled };
    }
    if (mode === 'default') {
      const hit = await this.exactOrFallback(request, key);
      if (hit) return { kind: 'cached', result: this.hit(key, hit, started) };
      const shared = this.inFlight.get(key);
      const joined = shared && (await this.join(shared, key, started, call.join));
      if (joined) return joined;
      if (this.options.semantic && call.semantic !== false) {
        const semantic = await this.semanticHit(request, key, started);
        if (semantic) return { kind: 'cached', result: semantic };
      }
    }
    let announce!: (started: { live: unknown } | undefined) => void;
    let fail!: (error: unknown) => void;
    const flight: InFlight<Response> = {
      started: new Promise((resolve, reject) => {
        announce = resolve;
        fail = reject;
      }),
      done: this.lead(request, key, compute, ttlSeconds, call.tags, (live) => announce({ live })),
    };
    this.inFlight.set(key, flight);
    // The flight started from another process's entry, or failed before it had a live value.
    flight.done.then(() => announce(undefined), fail);
    const done = flight.done.finally(() => this.land(key, flight));
    done.catch(() => undefined); // the caller hears of a failure through `settled`
    flight.started!.catch(() => undefined);
    const begun = await flight.started!;
    if (!begun) {
      const outcome = await done;
      return {
        kind: 'cached',
        result: this.hit(key, { value: outcome.value, entry: outcome.entry! }, started, true),
      };
    }
    const settled = done.then((outcome) => this.missResult(key, outcome, started));
    return { kind: 'live', live: begun.live as Live, status: 'miss', key, coalesced: false, settled };
  }

  /**
   * Joins an identical live call in flight: its live value through `join`, and its outcome once settled.
   * `undefined` when its live value cannot be shared any more (the caller then computes for itself).
   */
  private async join<Live>(
    shared: InFlight<Response>,
    key: string,
    started: number,
    join: ((live: Live) => Live | undefined) | undefined,
  ): Promise<LiveResult<Live, Response> | undefined> {
    const begun = await shared.started;
    if (!begun) return { kind: 'cached', result: await this.follow(shared.done, key, started) };
    const live = join ? join(begun.live as Live) : (begun.live as Live);
    if (live === undefined) return undefined;
    const latencyMs = performance.now() - started;
    const settled = shared.done.then((outcome) => {
      this.stats.recordHit(key, latencyMs, outcome.meta, true);
      const entry = outcome.entry ?? this.entryOf(outcome);
      return { ...this.hitResult(outcome.value, key, entry, latencyMs, true), ...outcome.storage };
    });
    return { kind: 'live', live, status: 'hit', key, coalesced: true, settled };
  }

  /** The exact entry of `key`, or the fallback's answer. */
  private async exactOrFallback(request: Request, key: string): Promise<CacheHit<Response> | undefined> {
    const exact = this.inProcess ? undefined : await this.get(key);
    return exact ?? (this.options.fallback ? await this.fallback(request, key) : undefined);
  }

  private missResult(key: string, outcome: Flight<Response>, started: number): CacheResult<Response> {
    if (outcome.entry) return this.hit(key, { value: outcome.value, entry: outcome.entry }, started, true);
    const result = this.result(outcome.value, 'miss', key, outcome.meta, started);
    this.stats.recordMiss(key, result.latencyMs, outcome.meta);
    return { ...result, ...outcome.storage };
  }

  /** Ends a flight: later calls look for themselves (unless another call already leads a newer flight). */
  private land(key: string, flight: InFlight<Response>): void {
    if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
  }

  /**
   * What every call does first: its TTL (a bad one throws) and its key (`undefined` when bypassed or not keyable);
   * an in-process store's hit is the answer itself, found without a trip through the event loop.
   */
  private begin(request: Request, call: CallOptions): Start | CacheResult<Response> {
    const started = performance.now();
    const mode = call.mode ?? 'default';
    const ttlSeconds = call.ttlSeconds === undefined ? this.ttlSeconds : parseTtlSeconds(call.ttlSeconds);
    const key = mode === 'bypass' ? undefined : this.tryKeyFor(request);
    if (key !== undefined && mode === 'default' && this.inProcess) {
      const hit = this.getSync(key);
      if (hit) return this.hit(key, hit, started);
    }
    return { started, mode, ttlSeconds, key };
  }

  /**
   * The read of an in-process store. One that breaks its flag and answers with a promise reads as a miss (the
   * contract suite fails it). `instanceof` is the cheapest check a hit can make (a `then` lookup on the entry
   * costs more), and stores' promises are native ones.
   */
  private getSync(key: string, copy = true): CacheHit<Response> | undefined {
    try {
      const read = this.store.get(key);
      return read instanceof Promise ? undefined : this.decode(key, read, copy);
    } catch (error) {
      this.stats.recordError('get', error, key);
      return undefined;
    }
  }

  /**
   * Decodes a store's entry (stores check expiry themselves; the contract suite holds them to it).
   * An entry that cannot be decoded is counted, removed and treated as a miss.
   */
  private decode(key: string, entry: CacheEntry | undefined, copy: boolean): CacheHit<Response> | undefined {
    if (!entry) return undefined;
    try {
      if (entry.decoded !== undefined) {
        const decoded = entry.decoded as Response;
        return { value: copy ? cloneValue(decoded) : decoded, entry };
      }
      if (!this.decodedEntries) return { value: this.codec.decode(entry.value, { key }), entry };
      let decoded = this.decodedEntries.get(entry);
      if (decoded === undefined) {
        decoded = deepFreeze(this.codec.decode(entry.value, { key }));
        this.decodedEntries.set(entry, decoded);
      }
      return { value: copy ? cloneValue(decoded) : decoded, entry };
    } catch (error) {
      // An entry of an older format is a plain miss; anything else that cannot be decoded is counted.
      if (!(error instanceof OutdatedEntryError)) this.stats.recordError('decode', error, key);
      void this.store.delete(key).catch(() => undefined);
      return undefined;
    }
  }

  private hit(
    key: string,
    hit: CacheHit<Response>,
    started: number,
    coalesced = false,
  ): CacheResult<Response> {
    const latencyMs = performance.now() - started;
    this.stats.recordHit(key, latencyMs, hit.entry.meta, coalesced);
    return this.hitResult(hit.value, key, hit.entry, latencyMs, coalesced);
  }

  /**
   * Computes once, stores, and only then releases the lock, so waiting processes find the entry. With `onLive`,
   * the compute answers a {@link LiveAnswer}: its live value is announced at once, and its complete value stored.
   */
  private async lead(
    request: Request,
    key: string,
    compute: () => Promise<Response | LiveAnswer<unknown, Response>>,
    ttlSeconds: number,
    tags: string[] | undefined,
    onLive?: (live: unknown) => void,
  ): Promise<Flight<Response>> {
    let handle: LockHandle | null | undefined;
    if (this.lock) {
      const lock = this.lock;
      const deadline = performance.now() + (this.options.lockWaitMs ?? 30_000);
      try {
        // Take the lock, or wait for its holder and read what it stored; a holder that stored nothing
        // (it failed, or its answer was not cacheable) hands the lock on to the next process.
        while (true) {
          handle = await withTimeout(
            lock.acquire(key, this.options.lockTtlMs ?? 60_000),
            this.timeoutMs,
            'lock',
          );
          if (handle !== null) {
            // The previous holder may have stored the answer just before we took the lock.
            const stored = await this.get(key);
            if (!stored) break;
            await handle.release().catch((error) => this.stats.recordError('lock', error, key));
            return {
              value: stored.value,
              encoded: stored.entry.value,
              meta: stored.entry.meta,
              entry: stored.entry,
            };
          }
          const remaining = deadline - performance.now();
          if (remaining <= 0) break;
          await lock.waitForRelease(key, remaining);
          const hit = await this.get(key);
          if (hit)
            return { value: hit.value, encoded: hit.entry.value, meta: hit.entry.meta, entry: hit.entry };
        }
      } catch (error) {
        this.stats.recordError('lock', error, key);
      }
    }
    try {
      const computeStarted = performance.now();
      const answer = await compute().catch((error: unknown) => {
        this.stats.recordUpstreamError(error, key);
        throw error;
      });
      let value = answer as Response;
      if (onLive) {
        const { live, complete } = answer as LiveAnswer<unknown, Response>;
        onLive(live);
        value = await complete;
      }
      const meta: EntryMeta = {
        latencyMs: round(performance.now() - computeStarted, 3),
        ...this.describe(value, request),
      };
      if (tags) meta.tags = tags;
      let encoded: string | Uint8Array | undefined;
      try {
        encoded = this.codec.encode(value, { key });
      } catch (error) {
        this.stats.recordError('encode', error, key);
      }
      const flight: Flight<Response> = { value, encoded, meta };
      flight.storage = await this.storeOutcome(request, key, flight, ttlSeconds);
      return flight;
    } finally {
      if (handle) await handle.release().catch((error) => this.stats.recordError('lock', error, key));
    }
  }

  private async follow(shared: Promise<Flight<Response>>, key: string, started: number) {
    const outcome = await shared;
    const value =
      outcome.encoded === undefined
        ? structuredClone(outcome.value)
        : this.codec.decode(outcome.encoded, { key });
    return this.hit(key, { value, entry: outcome.entry ?? this.entryOf(outcome) }, started, true);
  }

  /** The entry a flight's answer makes, as a follower reports it (whether or not it was stored). */
  private entryOf(outcome: Flight<Response>): CacheEntry {
    return {
      version: ENTRY_SCHEMA_VERSION,
      value: outcome.encoded ?? '',
      createdAt: this.clock.now(),
      expiresAt: null,
      meta: outcome.meta,
    };
  }

  private async storeOutcome(
    request: Request,
    key: string,
    outcome: Flight<Response>,
    ttlSeconds: number,
  ): Promise<StoreOutcome> {
    if (outcome.encoded === undefined) return this.skip(key, 'encode-failed');
    const sensitive = this.options.guard?.(request, outcome.value);
    if (sensitive) return this.skip(key, 'sensitive');
    const verdict = this.options.cacheWhen?.(outcome.value, request) ?? true;
    if (verdict !== true) {
      return this.skip(key, 'not-cacheable', typeof verdict === 'string' ? verdict : undefined);
    }
    const bytes = encodedSize(outcome.encoded);
    if (this.options.maxEntryBytes !== undefined && bytes > this.options.maxEntryBytes) {
      return this.skip(key, 'oversize');
    }
    const now = this.clock.now();
    const entry: CacheEntry = {
      version: ENTRY_SCHEMA_VERSION,
      value: outcome.encoded,
      createdAt: now,
      expiresAt: expiryFor(ttlSeconds, now),
      meta: outcome.meta,
    };
    if (this.inProcess) {
      try {
        entry.decoded = deepFreeze(this.codec.decode(outcome.encoded, { key }));
      } catch (error) {
        this.stats.recordError('decode', error, key);
        return this.skip(key, 'encode-failed');
      }
    }
    try {
      await withTimeout(this.store.set(key, entry), this.timeoutMs, `${this.store.name} set`);
    } catch (error) {
      this.stats.recordError('set', error, key);
      return { stored: false, notStoredReason: 'store-error' };
    }
    this.stats.recordSet(key, bytes);
    this.options.semantic?.remember(request, key, outcome.value);
    return { stored: true, createdAt: now, expiresAt: entry.expiresAt };
  }

  private async fallback(request: Request, key: string): Promise<CacheHit<Response> | undefined> {
    if (!this.options.fallback) return undefined;
    try {
      const entry = await this.options.fallback(request, key);
      return entry && !isExpired(entry, this.clock.now()) ? this.decode(key, entry, true) : undefined;
    } catch (error) {
      this.stats.recordError('fallback', error, key);
      return undefined;
    }
  }

  /**
   * The second look after an exact miss of `key`: the semantic stage's answer, decoded and counted as a semantic
   * hit, or `undefined` (no stage, no match). Any failure leaves the call exact-only. {@link getOrCompute} calls it
   * itself; a caller that writes its own entries (a recorded stream) calls it after its own exact lookup missed.
   */
  async semanticHit(
    request: Request,
    key: string,
    started = performance.now(),
  ): Promise<CacheResult<Response> | undefined> {
    if (!this.options.semantic) return undefined;
    let match: SemanticMatch | undefined;
    try {
      match = await this.options.semantic.lookup(request, key, (matchedKey) =>
        withTimeout(Promise.resolve(this.store.get(matchedKey)), this.timeoutMs, `${this.store.name} get`),
      );
    } catch (error) {
      this.stats.recordError('semantic', error, key);
      return undefined;
    }
    if (!match || isExpired(match.entry, this.clock.now())) return undefined;
    const hit = this.decode(match.key, match.entry, true);
    if (!hit) return undefined;
    const latencyMs = performance.now() - started;
    this.stats.recordHit(key, latencyMs, hit.entry.meta, false, match.similarity);
    const result = this.hitResult(hit.value, key, hit.entry, latencyMs, false);
    result.semantic = {
      similarity: match.similarity,
      matchedKey: match.key,
      matchedPrompt: match.matchedPrompt,
    };
    return result;
  }

  /** Key material we cannot hash (a cycle, say) is counted and answered without the cache. */
  private tryKeyFor(request: Request): string | undefined {
    try {
      return this.keyFor(request);
    } catch (error) {
      this.stats.recordError('key', error);
      return undefined;
    }
  }

  private skip(key: string, reason: SkipReason, word?: string): StoreOutcome {
    this.stats.recordSkip(key, reason, word);
    return { stored: false, notStoredReason: reason };
  }

  private describe(value: Response, request: Request): EntryMeta {
    return this.options.describe?.(value, request) ?? {};
  }

  private result(
    value: Response,
    status: 'miss' | 'bypass',
    key: string,
    meta: EntryMeta,
    started: number,
  ): CacheResult<Response> {
    return {
      value,
      status,
      key,
      coalesced: false,
      stored: false,
      meta,
      latencyMs: performance.now() - started,
      saved: { ms: 0, usd: 0, tokens: 0 },
    };
  }

  private hitResult(
    value: Response,
    key: string,
    entry: CacheEntry,
    latencyMs: number,
    coalesced: boolean,
  ): CacheResult<Response> {
    return {
      value,
      status: 'hit',
      key,
      coalesced,
      stored: true,
      meta: entry.meta,
      latencyMs,
      saved: savedOf(entry.meta, latencyMs),
      createdAt: entry.createdAt,
      expiresAt: entry.expiresAt,
    };
  }
}

/** Creates the orchestrator. */
export function createPromptCache<Request = unknown, Response = unknown>(
  options: PromptCacheOptions<Request, Response>,
): PromptCache<Request, Response> {
  return new PromptCache(options);
}
