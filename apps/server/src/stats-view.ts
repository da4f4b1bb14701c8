import { encodedSize, round, type StoreSize } from '@prompt-cache/core/store-kit';
import type { GatewayServices } from './context.js';
import type { StoreHealthView, StoreState } from './store-health.js';

/** `/v1/stats`: the figures of one namespace, or of every namespace (`scope: 'all'`). */
export interface StatsView {
  /** `all`, or the namespace the figures belong to. */
  scope: string;
  /** Every hit, exact and semantic. */
  hits: number;
  /** Hits answered by the entry of this very request. */
  exactHits: number;
  /** Hits answered by the entry of a paraphrase (`x-prompt-cache: semantic-hit`). */
  semanticHits: number;
  /** Mean similarity of the semantic hits, 0..1; 0 before the first. */
  semanticSimilarity: number;
  /** Prompts in the semantic index (of the namespace, or of every open one); `null` when semantic matching is off. */
  semanticIndexed: number | null;
  misses: number;
  bypasses: number;
  /** hits / (hits + misses); 0 before the first lookup. */
  hitRate: number;
  /** Failed calls and refused requests. */
  errors: number;
  /** Entries in the store (of the namespace, or in all). `null` when the store cannot count them. */
  entries: number | null;
  /** Bytes of encoded values (of the namespace, or in all). `null` when the store cannot count them. */
  bytes: number | null;
  savedUsd: number;
  savedTokens: number;
  savedMs: number;
  spentUsd: number;
  /** Answers returned but not stored, by reason in one word (`guardrail_intervened`, `bypass`, ...). */
  notStored: Record<string, number>;
  /** Requests per second over the last 10 s (every namespace). */
  requestsPerSecond: number;
  /**
   * Latency percentiles in ms (`null` before the first sample), as the callers saw it. `exact`: computed from
   * every sample (a small sample) rather than estimated from histogram buckets (within about 9%).
   */
  latency: {
    hit: { p50: number | null; p95: number | null; count: number; exact: boolean };
    miss: { p50: number | null; p95: number | null; count: number; exact: boolean };
  };
  upstream: 'bedrock' | 'simulator';
  store: string;
  /** Whether the store answers, the errors met on it since the start, and the last one. */
  storeState: StoreState;
  /** Store failures the cache absorbed (every namespace; each call was answered anyway), by kind. */
  storeErrors: StoreHealthView['errors'];
  /** The store's circuit breaker: `open` while the store is skipped; `null` when it has none. */
  storeBreaker: StoreHealthView['breaker'];
  uptimeSeconds: number;
}

/** Most keys scanned to count one namespace's entries and bytes. */
const MAX_SCANNED_KEYS = 100_000;

/** Reads statistics; `sizesChanged()` tells it that entries were added or removed. */
export interface StatsReader {
  (namespace: string | undefined): Promise<StatsView>;
  sizesChanged(): void;
}

/** How long a store size is reused when nothing changed, and at least, when something did (ms). */
const SIZE_MAX_AGE_MS = 5000;
const SIZE_MIN_AGE_MS = 200;

/**
 * Builds the statistics of a namespace (`undefined`: every namespace). Sizes are read from the store and reused
 * for a while (5 s when nothing happened, 200 ms under traffic), so that a busy dashboard does not scan the store
 * on every update.
 */
export function createStatsView(services: GatewayServices): StatsReader {
  const sizes = new Map<string, { at: number; size: StoreSize | undefined; stale: boolean }>();
  const sizesChanged = (): void => {
    for (const cached of sizes.values()) cached.stale = true;
  };
  services.activity.on('request', sizesChanged);

  const sizeOf = async (namespace: string | undefined): Promise<StoreSize | undefined> => {
    const cacheKey = namespace ?? '*';
    const cached = sizes.get(cacheKey);
    const now = Date.now();
    if (cached && now - cached.at < (cached.stale ? SIZE_MIN_AGE_MS : SIZE_MAX_AGE_MS)) return cached.size;
    let size: StoreSize | undefined;
    try {
      size =
        namespace === undefined ? await services.store.size?.() : await namespaceSize(services, namespace);
    } catch {
      size = cached?.size;
    }
    if (sizes.size > 1000) sizes.clear();
    sizes.set(cacheKey, { at: now, size, stale: false });
    return size;
  };

  const read = async (namespace: string | undefined): Promise<StatsView> => {
    const snapshot = services.activity.snapshot(namespace);
    const size = await sizeOf(namespace);
    return {
      scope: namespace ?? 'all',
      hits: snapshot.hits,
      exactHits: snapshot.hits - snapshot.semanticHits,
      semanticHits: snapshot.semanticHits,
      semanticSimilarity: round(snapshot.semanticSimilarity, 4),
      semanticIndexed: await services.caches.semanticIndexed(namespace),
      misses: snapshot.misses,
      bypasses: snapshot.bypasses,
      hitRate: round(snapshot.hitRate, 4),
      errors: snapshot.errors,
      entries: size?.entries ?? null,
      bytes: size?.bytes ?? null,
      savedUsd: snapshot.savedUsd,
      savedTokens: snapshot.savedTokens,
      savedMs: round(snapshot.savedMs, 3),
      spentUsd: snapshot.spentUsd,
      notStored: snapshot.notStored,
      requestsPerSecond: services.activity.requestsPerSecond(),
      latency: {
        hit: {
          p50: snapshot.latency.hit.p50,
          p95: snapshot.latency.hit.p95,
          count: snapshot.latency.hit.count,
          exact: snapshot.latency.hit.exact,
        },
        miss: {
          p50: snapshot.latency.miss.p50,
          p95: snapshot.latency.miss.p95,
          count: snapshot.latency.miss.count,
          exact: snapshot.latency.miss.exact,
        },
      },
      upstream: services.upstream.provider,
      store: services.storeLabel,
      storeState: services.storeHealth.snapshot(),
      ...storeHealthFields(services),
      uptimeSeconds: Math.round((Date.now() - services.activity.startedAt) / 1000),
    };
  };
  return Object.assign(read, { sizesChanged });
}

/** Counts a namespace's entries and bytes by listing its keys (the store must be able to list them). */
async function namespaceSize(services: GatewayServices, namespace: string): Promise<StoreSize | undefined> {
  const { store } = services;
  if (!store.keys) return undefined;
  let entries = 0;
  let bytes = 0;
  for await (const key of store.keys(`${namespace}:`)) {
    if (entries >= MAX_SCANNED_KEYS) break;
    try {
      const entry = await store.get(key);
      if (!entry) continue;
      entries += 1;
      bytes += encodedSize(entry.value);
    } catch {
      // unreadable: the store removed it
    }
  }
  return { entries, bytes };
}

function storeHealthFields(services: GatewayServices): Pick<StatsView, 'storeErrors' | 'storeBreaker'> {
  const health = services.storeHealth.view();
  return { storeErrors: health.errors, storeBreaker: health.breaker };
}
