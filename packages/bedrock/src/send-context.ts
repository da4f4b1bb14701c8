import type { CacheMode, PromptCache } from '@prompt-cache/core';
import type { CacheControl } from './cache-control.js';
import type { CacheInfo, InfoCall } from './cache-info.js';
import type { BedrockCacheRequest } from './cache-request.js';
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
export interface SendCall extends InfoCall {
  request: BedrockCacheRequest;
  /** The `abortSignal` given to `client.send`, if any. */
  signal: AbortSignal | undefined;
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

/** Calls `onResult`, which must never fail a call. */
export function report(context: SendContext, info: CacheInfo): void {
  if (!context.onResult) return;
  try {
    context.onResult(info);
  } catch (error) {
    context.cache.stats.recordError('onResult', error, info.key || undefined);
  }
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
