import type { CacheResult, EntryMeta, SkipReason } from '@prompt-cache/core';
import type { CacheControl } from './cache-control.js';
import { notCacheableCode, notCacheableReason } from './cacheability.js';
import type { BedrockOperation } from './operations.js';
import type { RecordedResponse } from './recorded-response.js';

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

// Every CacheInfo a caller sees is built below, from what the call was and what the core answered.

/** What the information of a call starts from. */
export interface InfoCall {
  operation: BedrockOperation;
  control: CacheControl | undefined;
  /** `performance.now()` when the middleware was entered. */
  started: number;
}

/** The information of a live stream, until it has ended (`settled` is set by the caller). */
export function pendingInfo(call: InfoCall, key: string, status: CacheInfo['status']): CacheInfo {
  return {
    ...infoOf(call, key, status, { pending: true }),
    settled: undefined as unknown as Promise<CacheInfo>,
  };
}

/** The word a `cacheWhen` option that returned `false` is reported and counted under. */
export const CACHE_WHEN_REFUSED = 'cache_when';

/** Why an answer was not stored: the reason, its word (for headers and stats) and its words for people. */
export function notStoredOf(
  cacheTruncated: boolean,
  reason: NotStoredReason,
  response: RecordedResponse | undefined,
  control: CacheControl | undefined,
): Pick<CacheInfo, 'notStoredReason' | 'notStoredCode' | 'notStoredDetail'> {
  const code =
    reason === 'not-cacheable'
      ? ((response && notCacheableCode(response, { cacheTruncated })) ?? CACHE_WHEN_REFUSED)
      : reason === 'bypass' && control?.mode !== 'bypass'
        ? 'not_keyed'
        : reason.replaceAll('-', '_');
  const detail = notStoredDetailOf(cacheTruncated, reason, response, control);
  return {
    notStoredReason: reason,
    notStoredCode: code,
    ...(detail === undefined ? {} : { notStoredDetail: detail }),
  };
}

/** Words for a reason an answer was not stored. */
function notStoredDetailOf(
  cacheTruncated: boolean,
  reason: NotStoredReason | undefined,
  response: RecordedResponse | undefined,
  control: CacheControl | undefined,
): string | undefined {
  switch (reason) {
    case 'not-cacheable':
      return (response && notCacheableReason(response, { cacheTruncated })) ?? 'cacheWhen returned false';
    case 'sensitive':
      return 'the guard flagged the request or the answer';
    case 'oversize':
      return 'the answer is larger than maxEntryBytes';
    case 'encode-failed':
      return 'the answer could not be encoded';
    case 'store-error':
      return 'the store failed; see the cache stats for the error';
    case 'bypass':
      return control?.mode === 'bypass'
        ? "per-call mode 'bypass'"
        : 'the request could not be keyed; see the cache stats for the error';
    case 'stream-abandoned':
      return 'every consumer stopped reading before the end; the upstream stream was cancelled';
    default:
      return undefined;
  }
}

/**
 * What the cache did in one call, as a report starts: nothing coalesced, saved or stored, no metadata, and the
 * latency so far; `fields` says the rest. Without its `settled` promise, which {@link settledNow} or the caller adds.
 */
export function infoOf(
  call: Pick<InfoCall, 'operation' | 'started'>,
  key: string,
  status: CacheInfo['status'],
  fields: Partial<Omit<CacheInfo, 'settled'>> = {},
): Omit<CacheInfo, 'settled'> {
  return {
    status,
    operation: call.operation,
    key,
    coalesced: false,
    latencyMs: performance.now() - call.started,
    saved: { ms: 0, usd: 0, tokens: 0 },
    stored: false,
    meta: {},
    pending: false,
    ...fields,
  };
}

/** What the cache did for a call that the core answered (a hit, exact or semantic, a miss or a bypass). */
export function resultInfo(
  cacheTruncated: boolean,
  call: InfoCall,
  result: CacheResult<RecordedResponse>,
): CacheInfo {
  const notStoredReason =
    result.status === 'hit' ? undefined : result.status === 'bypass' ? 'bypass' : result.notStoredReason;
  const info = infoOf(call, result.key, result.status, {
    coalesced: result.coalesced,
    saved: result.saved,
    stored: result.status === 'hit' || result.stored,
    meta: result.meta,
  });
  if (result.semantic) info.semantic = result.semantic;
  if (notStoredReason)
    Object.assign(info, notStoredOf(cacheTruncated, notStoredReason, result.value, call.control));
  return settledNow(info);
}

/** The information of a call that failed before it had an answer. */
export function failureInfo(call: InfoCall, key: string, error: unknown): CacheInfo {
  const status = call.control?.mode === 'bypass' || key === '' ? 'bypass' : 'miss';
  return settledNow(
    infoOf(call, key, status, { notStoredReason: 'upstream-error', notStoredCode: 'upstream_error', error }),
  );
}

/** Gives a new information object its `settled` promise, already resolved. */
export function settledNow(info: Omit<CacheInfo, 'settled'>): CacheInfo {
  const complete = info as CacheInfo;
  complete.settled = Promise.resolve(complete);
  return complete;
}
