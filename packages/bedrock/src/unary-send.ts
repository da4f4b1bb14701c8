import { type CacheEntry, type CacheResult, PromptCacheError } from '@prompt-cache/core';
import { cloneValue } from '@prompt-cache/core/store-kit';
import { callOptionsOf } from './cache-control.js';
import { attachCacheInfo, type CacheInfo, type InfoCall, resultInfo } from './cache-info.js';
import type { CachedSend, SendCall } from './cached-send.js';
import type { RecordedResponse } from './recorded-response.js';
import { outputFromRecord, recordUnary } from './response-record.js';
import { CACHED_HTTP_RESPONSE, type UpstreamResult } from './upstream-result.js';

/**
 * Converse and InvokeModel: the core's lookup-or-compute, where computing is the rest of the middleware stack
 * (serialize, sign, send). A miss returns the SDK's own output untouched; a hit rebuilds it from the entry.
 */
export async function sendUnary(
  send: CachedSend,
  call: SendCall,
  next: () => Promise<UpstreamResult>,
): Promise<UpstreamResult> {
  let upstream = undefined as UpstreamResult | undefined;
  let result: CacheResult<RecordedResponse>;
  try {
    result = await send.cache.getOrCompute(
      call.request,
      async () => {
        upstream = await next();
        return safeRecord(() =>
          recordUnary(call.operation, upstream!.output, send.recordContext(call, upstream!.response)),
        );
      },
      callOptionsOf(call.control),
    );
  } catch (error) {
    send.reportFailure(call, error);
    throw error;
  }
  const output = upstream ? upstream.output : outputFromRecord(result.value, noReplay);
  send.report(withInfo(output, resultInfo(send.cacheTruncated, call, result)));
  return { output, response: upstream ? upstream.response : CACHED_HTTP_RESPONSE };
}

/** A Converse or InvokeModel answer from the cache, with what the cache did, and the entry it came from. */
export interface CachedAnswer {
  /**
   * The SDK-shaped output, as `client.send` returns it on a hit (`cacheInfo(output)` works on it). Built, as a
   * copy of the entry, when first read: a caller that renders its answer once per `entry` never builds it.
   */
  readonly output: Record<string, unknown>;
  readonly info: CacheInfo;
  readonly entry: CacheEntry;
}

/**
 * A hit by key alone, without the SDK: counted and reported exactly as a hit through `client.send`.
 * `undefined` on a miss (nothing counted). Keys name their operation, so a Converse or InvokeModel key never
 * finds a recorded stream; being handed a stream's key is a mistake, and says so.
 */
export async function answerFromCache(
  send: CachedSend,
  key: string,
  { started, control }: Pick<InfoCall, 'started' | 'control'> = {
    started: performance.now(),
    control: undefined,
  },
): Promise<CachedAnswer | undefined> {
  const result = await send.cache.lookup(key);
  if (!result) return undefined;
  const { operation } = result.value;
  if (operation !== 'Converse' && operation !== 'InvokeModel') {
    throw new PromptCacheError(
      'INVALID_KEY_MATERIAL',
      `[bedrock] lookup answers Converse and InvokeModel calls; ${key} holds a recorded ${operation}, which client.send replays`,
    );
  }
  const info = resultInfo(send.cacheTruncated, { operation, started, control }, result);
  send.report(info);
  return new LazyAnswer(result.value, info, result.entry);
}

/** A {@link CachedAnswer} whose output is copied from the (shared, frozen) record on first read. */
class LazyAnswer implements CachedAnswer {
  readonly #record: RecordedResponse;
  #output: Record<string, unknown> | undefined;

  constructor(
    record: RecordedResponse,
    readonly info: CacheInfo,
    readonly entry: CacheEntry,
  ) {
    this.#record = record;
  }

  get output(): Record<string, unknown> {
    if (!this.#output) {
      this.#output = outputFromRecord(cloneValue(this.#record), noReplay);
      attachCacheInfo(this.#output, this.info);
    }
    return this.#output;
  }
}

function withInfo(output: object, info: CacheInfo): CacheInfo {
  attachCacheInfo(output, info);
  return info;
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

/** Unary answers have no events to replay. */
function noReplay(): AsyncIterable<unknown> {
  return { [Symbol.asyncIterator]: async function* () {} };
}
