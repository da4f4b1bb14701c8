import type { StoreSize } from '@prompt-cache/core/store-kit';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RequestRecord } from './activity.js';
import { bufferedCounter, bufferedHistogram } from './buffered-metrics.js';
import { STORE_ERROR_KINDS, type StoreHealthView } from './store-health.js';

/** Every metric name the gateway exports (besides Node's default `process_*` and `nodejs_*` metrics). */
export const METRIC_NAMES = {
  hits: 'prompt_cache_hits_total',
  semanticHits: 'prompt_cache_semantic_hits_total',
  semanticSimilarity: 'prompt_cache_semantic_similarity',
  misses: 'prompt_cache_misses_total',
  bypasses: 'prompt_cache_bypasses_total',
  errors: 'prompt_cache_errors_total',
  latency: 'prompt_cache_request_duration_seconds',
  savedTokens: 'prompt_cache_saved_tokens_total',
  savedUsd: 'prompt_cache_saved_usd_total',
  savedSeconds: 'prompt_cache_saved_seconds_total',
  spentUsd: 'prompt_cache_spent_usd_total',
  httpRequests: 'prompt_cache_http_requests_total',
  entries: 'prompt_cache_entries',
  bytes: 'prompt_cache_bytes',
  storeErrors: 'prompt_cache_store_errors_total',
  storeBreakerOpen: 'prompt_cache_store_breaker_open',
} as const;

/** Latency buckets in seconds: hits take microseconds to milliseconds, misses seconds. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** Similarity buckets of semantic hits: the default threshold is 0.5, near-duplicates score above 0.9. */
const SIMILARITY_BUCKETS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1];

/** Most distinct values of a label taken from callers (models, namespaces); later values read `other`. */
const MAX_LABEL_VALUES = 100;

/** Options of {@link createGatewayMetrics}. */
export interface GatewayMetricsOptions {
  /** Entry and byte counts of the store, read at each scrape. Default: none (the gauges stay absent). */
  size?: () => Promise<StoreSize | undefined>;
  /** Add Node's default process metrics. Default `true`. */
  processMetrics?: boolean;
  /** Store failures by kind and the breaker's state, read at each scrape. Default: none (the metrics stay absent). */
  storeHealth?: () => StoreHealthView;
}

/** The gateway's Prometheus metrics, in a registry of their own (several gateways can share a process). */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** Counts one finished cached call. */
  observe(record: RequestRecord): void;
  /** Counts one HTTP request by route name and status code. */
  observeHttp(route: string, status: number): void;
  /** The text exposition, and its content type. */
  render(): Promise<{ contentType: string; text: string }>;
}

/** Creates the registry and metrics. Label values that come from callers are capped to keep cardinality bounded. */
export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const labels = ['model', 'namespace', 'operation'] as const;
  const hits = bufferedCounter({
    name: METRIC_NAMES.hits,
    help: 'Calls answered from the cache.',
    labelNames: labels,
    registers: [registry],
  });
  const semanticHits = bufferedCounter({
    name: METRIC_NAMES.semanticHits,
    help: 'Hits answered by the entry of a paraphrase (semantic matching); also counted in prompt_cache_hits_total.',
    labelNames: labels,
    registers: [registry],
  });
  const semanticSimilarity = bufferedHistogram({
    name: METRIC_NAMES.semanticSimilarity,
    help: 'How close the cached prompt of each semantic hit was, 0..1 (mean: _sum / _count).',
    labelNames: ['model', 'namespace'],
    buckets: SIMILARITY_BUCKETS,
    registers: [registry],
  });
  const misses = bufferedCounter({
    name: METRIC_NAMES.misses,
    help: 'Calls answered by the upstream (Bedrock or the simulator) and stored when cacheable.',
    labelNames: labels,
    registers: [registry],
  });
  const bypasses = bufferedCounter({
    name: METRIC_NAMES.bypasses,
    help: 'Calls that skipped the cache (x-prompt-cache-mode: bypass).',
    labelNames: labels,
    registers: [registry],
  });
  const errors = bufferedCounter({
    name: METRIC_NAMES.errors,
    help: 'Cached calls that failed, by error type (upstream failures included; nothing was cached).',
    labelNames: [...labels, 'type'],
    registers: [registry],
  });
  const latency = bufferedHistogram({
    name: METRIC_NAMES.latency,
    help: 'Latency of cached calls as the caller saw it, by cache status.',
    labelNames: [...labels, 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const savedTokens = bufferedCounter({
    name: METRIC_NAMES.savedTokens,
    help: 'Tokens not billed thanks to hits.',
    labelNames: ['model', 'namespace'],
    registers: [registry],
  });
  const savedUsd = bufferedCounter({
    name: METRIC_NAMES.savedUsd,
    help: 'US dollars not spent thanks to hits (at list prices).',
    labelNames: ['model', 'namespace'],
    registers: [registry],
  });
  const savedSeconds = bufferedCounter({
    name: METRIC_NAMES.savedSeconds,
    help: 'Waiting time saved by hits, in seconds.',
    labelNames: ['model', 'namespace'],
    registers: [registry],
  });
  const spentUsd = bufferedCounter({
    name: METRIC_NAMES.spentUsd,
    help: 'US dollars spent on misses (at list prices).',
    labelNames: ['model', 'namespace'],
    registers: [registry],
  });
  const httpRequests = bufferedCounter({
    name: METRIC_NAMES.httpRequests,
    help: 'HTTP requests by route and status code.',
    labelNames: ['route', 'code'],
    registers: [registry],
  });

  let lastSize: StoreSize | undefined;
  const readSize = async (): Promise<StoreSize | undefined> => {
    try {
      lastSize = (await options.size?.()) ?? lastSize;
    } catch {
      // The store is unreachable: keep the last known size; /healthz says why.
    }
    return lastSize;
  };
  new Gauge({
    name: METRIC_NAMES.entries,
    help: 'Entries in the store (every namespace).',
    registers: [registry],
    async collect() {
      const size = await readSize();
      if (size) this.set(size.entries);
    },
  });
  new Gauge({
    name: METRIC_NAMES.bytes,
    help: 'Bytes of encoded values in the store (every namespace).',
    registers: [registry],
    async collect() {
      const size = lastSize ?? (await readSize());
      if (size) this.set(size.bytes);
    },
  });

  if (options.storeHealth) registerStoreHealth(registry, options.storeHealth);

  const callLabels = new CallLabelSets();
  const errorTypes = new CappedLabel();

  return {
    registry,
    observe(record) {
      const call = callLabels.of(record.model || 'unknown', record.namespace, record.operation);
      if (record.status === 'hit') {
        hits.add(call.id, call.labels);
        if (record.similarity !== undefined) {
          semanticHits.add(call.id, call.labels);
          semanticSimilarity.observe(call.pairId, call.pairLabels, record.similarity);
        }
        if (record.savedTokens > 0) savedTokens.add(call.pairId, call.pairLabels, record.savedTokens);
        if (record.savedUsd > 0) savedUsd.add(call.pairId, call.pairLabels, record.savedUsd);
        if (record.savedMs > 0) savedSeconds.add(call.pairId, call.pairLabels, record.savedMs / 1000);
      } else if (record.status === 'miss') {
        misses.add(call.id, call.labels);
        if (record.costUsd) spentUsd.add(call.pairId, call.pairLabels, record.costUsd);
      } else if (record.status === 'bypass') {
        bypasses.add(call.id, call.labels);
      } else {
        const type = errorTypes.of(record.errorType ?? 'unknown');
        errors.add(`${call.id}\u0000${type}`, { ...call.labels, type });
        return;
      }
      const timed = call.byStatus[record.status];
      latency.observe(timed.id, timed.labels, record.latencyMs / 1000);
    },
    observeHttp(route, status) {
      httpRequests.add(`${route}\u0000${status}`, { route, code: String(status) });
    },
    async render() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}

/** The label values of one model, namespace and operation, and the ids of their series. */
interface CallLabels {
  id: string;
  labels: { model: string; namespace: string; operation: string };
  pairId: string;
  pairLabels: { model: string; namespace: string };
  byStatus: Record<'hit' | 'miss' | 'bypass', { id: string; labels: Record<string, string> }>;
}

/**
 * {@link CallLabels} built once per model, namespace and operation, so that counting a call joins no strings and
 * makes no objects. Models and namespaces are capped ({@link CappedLabel}); past {@link MAX_CALL_LABEL_SETS}
 * combinations of the values callers sent, the labels are built for each call instead of remembered.
 */
class CallLabelSets {
  private readonly models = new CappedLabel();
  private readonly namespaces = new CappedLabel();
  private readonly known = new Map<string, Map<string, Map<string, CallLabels>>>();
  private size = 0;

  of(rawModel: string, rawNamespace: string, operation: string): CallLabels {
    let byNamespace = this.known.get(rawModel);
    let byOperation = byNamespace?.get(rawNamespace);
    const found = byOperation?.get(operation);
    if (found) return found;
    const call = this.build(this.models.of(rawModel), this.namespaces.of(rawNamespace), operation);
    if (this.size >= MAX_CALL_LABEL_SETS) return call;
    if (!byNamespace) {
      byNamespace = new Map();
      this.known.set(rawModel, byNamespace);
    }
    if (!byOperation) {
      byOperation = new Map();
      byNamespace.set(rawNamespace, byOperation);
    }
    byOperation.set(operation, call);
    this.size++;
    return call;
  }

  private build(model: string, namespace: string, operation: string): CallLabels {
    const pairId = `${model}\u0000${namespace}`;
    const id = `${pairId}\u0000${operation}`;
    const labels = { model, namespace, operation };
    const timed = (status: string) => ({ id: `${id}\u0000${status}`, labels: { ...labels, status } });
    return {
      id,
      labels,
      pairId,
      pairLabels: { model, namespace },
      byStatus: { hit: timed('hit'), miss: timed('miss'), bypass: timed('bypass') },
    };
  }
}

/** Most model, namespace and operation combinations whose labels are remembered. */
const MAX_CALL_LABEL_SETS = 10_000;

/** Keeps at most {@link MAX_LABEL_VALUES} distinct values; the rest become `other`. */
class CappedLabel {
  private readonly seen = new Set<string>();

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= MAX_LABEL_VALUES) return 'other';
    this.seen.add(value);
    return value;
  }
}

/** Store failures by kind (a counter read from the gateway's totals) and whether the breaker is open. */
function registerStoreHealth(registry: Registry, read: () => StoreHealthView): void {
  new Counter({
    name: METRIC_NAMES.storeErrors,
    help: 'Store failures the cache absorbed (the calls were answered), by kind.',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const { errors } = read();
      this.reset();
      for (const kind of STORE_ERROR_KINDS) this.inc({ kind }, errors[kind]);
    },
  });
  new Gauge({
    name: METRIC_NAMES.storeBreakerOpen,
    help: "1 while the store's circuit breaker skips the store, 0 when closed (absent for a store without one).",
    registers: [registry],
    collect() {
      const { breaker } = read();
      if (breaker !== null) this.set(breaker === 'open' ? 1 : 0);
    },
  });
}
