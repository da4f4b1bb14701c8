import type { CacheMode, CacheResult, PromptCache } from '@prompt-cache/core';
import type { CacheControl } from './cache-control.js';
import type { CacheInfo, NotStoredReason } from './cache-info.js';
import type { BedrockCacheRequest } from './cache-request.js';
import { notCacheableCode, notCacheableReason } from './cacheability.js';
import type { BedrockOperation } from './operations.js';
import type { RecordedResponse } from './recorded-response.js';
import type { RecordContext } from './response-record.js';
import type { ReplayPacing, Sleep } from './stream-replay.js';

/** What the middleware needs for every call, resolved once when the cache is added to a client. */
export interface SendContext {
  cache: PromptCache<BedrockCacheRequest, RecordedResponse>;
  /** The `provider` option. */
  provider: string | undefined;
  cacheTruncated: boolean;
  replayPacing: ReplayPacing;
  sleep: Sleep;
  onResult: ((info: CacheInfo) => void) | undefined;
}

/** One `client.send` as the middleware sees it. */
export interface SendCall {
  operation: BedrockOperation;
  request: BedrockCacheRequest;
  control: CacheControl | undefined;
  /** The `abortSignal` given to `client.send`, if any. */
  signal: AbortSignal | undefined;
  /** `performance.now()` when the middleware was entered. */
  started: number;
}

/** The core's per-call options from a command's cache controls. */
export function callOptionsOf(control: CacheControl | undefined): {
  mode?: CacheMode;
  ttlSeconds?: number;
  tags?: string[];
  semantic?: boolean;
} {
  if (!control) return {};
  const options: { mode?: CacheMode; ttlSeconds?: number; tags?: string[]; semantic?: boolean } = {};
  if (control.semantic !== undefined) options.semantic = control.semantic;
  if (control.mode !== undefined) options.mode = control.mode;
  if (control.ttlSeconds !== undefined) options.ttlSeconds = control.ttlSeconds;
  if (control.tags !== undefined) options.tags = control.tags;
  return options;
}

/** What a recording needs to know about the call. */
export function recordContextOf(context: SendContext, call: SendCall, httpResponse: unknown): RecordContext {
  const modelId = call.request.input.modelId;
  return {
    modelId: typeof modelId === 'string' ? modelId : undefined,
    provider: context.provider,
    httpResponse,
  };
}

/** The word a `cacheWhen` option that returned `false` is reported and counted under. */
export const CACHE_WHEN_REFUSED = 'cache_when';

/** Why an answer was not stored: the reason, its word (for headers and stats) and its words for people. */
export function notStoredOf(
  context: SendContext,
  reason: NotStoredReason,
  response: RecordedResponse | undefined,
  control: CacheControl | undefined,
): Pick<CacheInfo, 'notStoredReason' | 'notStoredCode' | 'notStoredDetail'> {
  const code =
    reason === 'not-cacheable'
      ? ((response && notCacheableCode(response, { cacheTruncated: context.cacheTruncated })) ??
        CACHE_WHEN_REFUSED)
      : reason === 'bypass' && control?.mode !== 'bypass'
        ? 'not_keyed'
        : reason.replaceAll('-', '_');
  const detail = notStoredDetailOf(context, reason, response, control);
  return {
    notStoredReason: reason,
    notStoredCode: code,
    ...(detail === undefined ? {} : { notStoredDetail: detail }),
  };
}

/** Words for a reason an answer was not stored. */
function notStoredDetailOf(
  context: SendContext,
  reason: NotStoredReason | undefined,
  response: RecordedResponse | undefined,
  control: CacheControl | undefined,
): string | undefined {
  switch (reason) {
    case 'not-cacheable':
      return (
        (response && notCacheableReason(response, { cacheTruncated: context.cacheTruncated })) ??
        'cacheWhen returned false'
      );
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

/** Calls `onResult`, which must never fail a call. */
export function report(context: SendContext, info: CacheInfo): void {
  if (!context.onResult) return;
  try {
    context.onResult(info);
  } catch (error) {
    context.cache.stats.recordError('onResult', error, info.key || undefined);
  }
}

/**
 * What the cache did in one call, as a report starts: nothing coalesced, saved or stored, no metadata, and the
 * latency so far; `fields` says the rest. Without its `settled` promise, which {@link settledNow} or the caller adds.
 */
export function infoOf(
  call: Pick<SendCall, 'operation' | 'started'>,
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
  context: SendContext,
  call: Pick<SendCall, 'operation' | 'started' | 'control'>,
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
  if (notStoredReason) Object.assign(info, notStoredOf(context, notStoredReason, result.value, call.control));
  return settledNow(info);
}

/** The key of a failed call, for its report (`''` when bypassed or when the request has no key). */
export function keyForReport(context: SendContext, call: SendCall): string {
  if (call.control?.mode === 'bypass') return '';
  try {
    return context.cache.keyFor(call.request);
  } catch {
    return '';
  }
}

/** The information of a call that failed before it had an answer. */
export function failureInfo(call: SendCall, key: string, error: unknown): CacheInfo {
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
