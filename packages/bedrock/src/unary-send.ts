import type { CacheResult } from '@prompt-cache/core';
import { attachCacheInfo, type CacheInfo } from './cache-info.js';
import type { RecordedResponse } from './recorded-response.js';
import { outputFromRecord, recordUnary } from './response-record.js';
import {
  callOptionsOf,
  failureInfo,
  notStoredDetailOf,
  recordContextOf,
  report,
  type SendCall,
  type SendContext,
} from './send-context.js';

/** What the next handler of the middleware stack returns. */
export interface UpstreamResult {
  output: Record<string, unknown>;
  response: unknown;
}

/** The raw response of a call answered from the cache: no HTTP exchange happened. */
export const CACHED_HTTP_RESPONSE = Object.freeze({
  statusCode: 200,
  reason: 'answered by @prompt-cache/bedrock',
  headers: Object.freeze({ 'x-prompt-cache': 'hit' }),
});

/**
 * Converse and InvokeModel: the core's lookup-or-compute, where computing is the rest of the middleware stack
 * (serialize, sign, send). A miss returns the SDK's own output untouched; a hit rebuilds it from the entry.
 */
export async function sendUnary(
  context: SendContext,
  call: SendCall,
  next: () => Promise<UpstreamResult>,
): Promise<UpstreamResult> {
  let upstream = undefined as UpstreamResult | undefined;
  let result: CacheResult<RecordedResponse>;
  try {
    result = await context.cache.getOrCompute(
      call.request,
      async () => {
        upstream = await next();
        return safeRecord(() =>
          recordUnary(call.operation, upstream!.output, recordContextOf(context, call, upstream!.response)),
        );
      },
      callOptionsOf(call.control),
    );
  } catch (error) {
    report(context, failureInfo(call, keyForReport(context, call), error));
    throw error;
  }
  const output = upstream ? upstream.output : outputFromRecord(result.value, noReplay);
  const info = infoOf(context, call, result);
  attachCacheInfo(output, info);
  report(context, info);
  return { output, response: upstream ? upstream.response : CACHED_HTTP_RESPONSE };
}

/** The key of a failed call, for its report (`''` when bypassed or when the request has no key). */
function keyForReport(context: SendContext, call: SendCall): string {
  if (call.control?.mode === 'bypass') return '';
  try {
    return context.cache.keyFor(call.request);
  } catch {
    return '';
  }
}

/** A recording that fails (an answer of an unexpected shape) must not fail the call: it is just not stored. */
function safeRecord(record: () => RecordedResponse): RecordedResponse {
  try {
    return record();
  } catch (error) {
    return {
      operation: 'Converse',
      provider: 'unknown',
      fields: {},
      summary: { complete: false, problem: `the answer could not be recorded (${String(error)})` },
    };
  }
}

function infoOf(context: SendContext, call: SendCall, result: CacheResult<RecordedResponse>): CacheInfo {
  const notStoredReason =
    result.status === 'hit' ? undefined : result.status === 'bypass' ? 'bypass' : result.notStoredReason;
  const info: CacheInfo = {
    status: result.status,
    operation: call.operation,
    key: result.key,
    coalesced: result.coalesced,
    latencyMs: performance.now() - call.started,
    saved: result.saved,
    stored: result.status === 'hit' || result.stored,
    meta: result.meta,
    pending: false,
    settled: undefined as unknown as Promise<CacheInfo>,
  };
  if (notStoredReason) {
    info.notStoredReason = notStoredReason;
    const detail = notStoredDetailOf(context, notStoredReason, result.value, call.control);
    if (detail) info.notStoredDetail = detail;
  }
  info.settled = Promise.resolve(info);
  return info;
}

/** Unary answers have no events to replay. */
function noReplay(): AsyncIterable<unknown> {
  return { [Symbol.asyncIterator]: async function* () {} };
}
