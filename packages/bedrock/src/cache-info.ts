import type { EntryMeta, SkipReason } from '@prompt-cache/core';
import type { BedrockOperation } from './operations.js';

/** Why an answer was not stored. */
export type NotStoredReason =
  /** The core's reasons: `not-cacheable` (see `notStoredDetail`), `sensitive`, `oversize`, `encode-failed`. */
  | SkipReason
  /** The store failed; the answer was still returned. */
  | 'store-error'
  /** Per-call `mode: 'bypass'`, or a request that cannot be keyed (e.g. an InvokeModel body that is a stream). */
  | 'bypass'
  /** The call failed, or its stream failed or was aborted part way. */
  | 'upstream-error'
  /** Every consumer stopped reading the stream before its end. */
  | 'stream-abandoned'
  /** The answer came from the cache. */
  | 'hit';

/** What the cache did for one `client.send`. */
export interface CacheInfo {
  /** `hit`: answered from the cache (or by sharing an identical call in flight); `miss`: Bedrock answered; `bypass`: the cache was skipped. */
  status: 'hit' | 'miss' | 'bypass';
  operation: BedrockOperation;
  /** The cache key, `''` when bypassed. */
  key: string;
  /** True when this call shared an identical call's upstream answer instead of calling Bedrock itself. */
  coalesced: boolean;
  /** How long `client.send` took to resolve, in ms (for a live stream: until its first event). */
  latencyMs: number;
  /** What this call saved: the original latency, USD and tokens; zeros on a miss or a bypass. */
  saved: { ms: number; usd: number; tokens: number };
  /** Whether the answer is in the cache now (true for hits). False while a live stream is still recorded. */
  stored: boolean;
  notStoredReason?: NotStoredReason;
  /**
   * One word for why the answer was not stored, as headers and stats show it: `max_tokens` (with
   * `cacheTruncated: false`), `guardrail_intervened`, `content_filtered`, `incomplete_answer`, `unknown_stop_reason`,
   * `cache_when`, `sensitive`, `oversize`, `encode_failed`, `store_error`, `bypass`, `not_keyed`, `upstream_error`,
   * `stream_abandoned`.
   */
  notStoredCode?: string;
  /** Words for `notStoredReason`, e.g. `stop reason max_tokens: the answer was cut short ...`. */
  notStoredDetail?: string;
  /** Model, provider, usage, cost and latency of the answer (of the original call, for hits). */
  meta: EntryMeta;
  /** True while a live stream is still being read and recorded; `stored` is final once it is false. */
  pending: boolean;
  /** Resolves with the final information (at once, except for a live stream: when it has ended). */
  settled: Promise<CacheInfo>;
  /** On a semantic hit: how close the cached prompt is (0..1), which prompt it was, and its key. */
  semantic?: { similarity: number; matchedPrompt?: string; matchedKey: string };
  /** The error, when the call or its stream failed. */
  error?: unknown;
}

const infos = new WeakMap<object, CacheInfo>();

/** Remembers the cache information of an SDK output. */
export function attachCacheInfo(output: object, info: CacheInfo): void {
  infos.set(output, info);
}

/**
 * What the cache did for a response returned by `client.send` on a cached client: hit, miss or bypass, the key,
 * the latency, and what was saved. `undefined` for a response the cache did not see.
 * @example
 * const response = await client.send(new ConverseCommand(input));
 * console.log(cacheInfo(response)?.status); // 'hit'
 */
export function cacheInfo(response: object): CacheInfo | undefined {
  return infos.get(response);
}
