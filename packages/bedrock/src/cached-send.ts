import type { PromptCache } from '@prompt-cache/core';
import { type CacheInfo, failureInfo, type InfoCall } from './cache-info.js';
import type { BedrockCacheRequest } from './cache-request.js';
import type { RecordedResponse } from './recorded-response.js';
import type { RecordContext } from './response-record.js';
import type { ReplayPacing, Sleep } from './stream-replay.js';

/** One `client.send` as the middleware sees it. */
export interface SendCall extends InfoCall {
  request: BedrockCacheRequest;
  /** The `abortSignal` given to `client.send`, if any. */
  signal: AbortSignal | undefined;
}

/**
 * What every cached call of a client shares, made once when the cache is added to it: the core cache (which holds
 * the single-flight), the settings of recordings and replays, and the reporter, closed over `onResult`.
 */
export interface CachedSend {
  readonly cache: PromptCache<BedrockCacheRequest, RecordedResponse>;
  readonly cacheTruncated: boolean;
  readonly replayPacing: ReplayPacing;
  readonly sleep: Sleep;
  /** Hands a call's information to `onResult`, which must never fail a call. */
  report(info: CacheInfo): void;
  /** Reports a call that failed before it had an answer. */
  reportFailure(call: SendCall, error: unknown): void;
  /** What a recording of the call's answer needs to know. */
  recordContext(call: SendCall, httpResponse: unknown): RecordContext;
}

/** Options of {@link createCachedSend}. */
export interface CachedSendOptions {
  cache: PromptCache<BedrockCacheRequest, RecordedResponse>;
  /** The `provider` option. */
  provider: string | undefined;
  cacheTruncated: boolean;
  replayPacing: ReplayPacing;
  sleep: Sleep;
  onResult: ((info: CacheInfo) => void) | undefined;
}

/** Makes what every cached call of a client shares. */
export function createCachedSend(options: CachedSendOptions): CachedSend {
  const { cache, provider, onResult } = options;
  const report = (info: CacheInfo): void => {
    if (!onResult) return;
    try {
      onResult(info);
    } catch (error) {
      cache.stats.recordError('onResult', error, info.key || undefined);
    }
  };
  /** The key of a failed call, for its report (`''` when bypassed or when the request has no key). */
  const keyForReport = (call: SendCall): string => {
    if (call.control?.mode === 'bypass') return '';
    try {
      return cache.keyFor(call.request);
    } catch {
      return '';
    }
  };
  return {
    cache,
    cacheTruncated: options.cacheTruncated,
    replayPacing: options.replayPacing,
    sleep: options.sleep,
    report,
    reportFailure: (call, error) => report(failureInfo(call, keyForReport(call), error)),
    recordContext(call, httpResponse) {
      const modelId = call.request.input.modelId;
      return { modelId: typeof modelId === 'string' ? modelId : undefined, provider, httpResponse };
    },
  };
}
