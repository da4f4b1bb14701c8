import { type CacheHit, savedOf } from '@prompt-cache/core/store-kit';
import { attachCacheInfo, type CacheInfo } from './cache-info.js';
import { StreamAbandonedError, StreamInterruptedError } from './errors.js';
import { streamMemberOf } from './operations.js';
import type { RecordedEvent, RecordedResponse } from './recorded-response.js';
import { outputFromRecord, recordStream } from './response-record.js';
import {
  failureInfo,
  infoOf,
  notStoredOf,
  recordContextOf,
  report,
  type SendCall,
  type SendContext,
  settledNow,
} from './send-context.js';
import { createStreamFlight, type StreamFlight } from './stream-flight.js';
import { createStreamRecording, type StreamRecording } from './stream-recording.js';
import { replayEvents } from './stream-replay.js';
import { CACHED_HTTP_RESPONSE, type UpstreamResult } from './upstream-result.js';

/**
 * ConverseStream and InvokeModelWithResponseStream. A hit replays the recorded events. A miss hands the caller
 * the live stream while it is recorded, and stores the recording once it has ended and been read to its end.
 * Identical calls in flight share one upstream stream. This package writes stream entries itself (the core's
 * `get` and `set`), because the caller must have the stream long before the entry can be written.
 */
export async function sendStream(
  context: SendContext,
  call: SendCall,
  next: () => Promise<UpstreamResult>,
): Promise<UpstreamResult> {
  const mode = call.control?.mode ?? 'default';
  const key = mode === 'bypass' ? undefined : keyOf(context, call);
  if (key === undefined) return bypass(context, call, next);
  const flight = mode === 'default' ? context.streamFlights.get(key) : undefined;
  if (flight) return follow(context, call, next, key, flight);
  return lead(context, call, next, key);
}

function keyOf(context: SendContext, call: SendCall): string | undefined {
  try {
    return context.cache.keyFor(call.request);
  } catch (error) {
    context.cache.stats.recordError('key', error);
    return undefined;
  }
}

async function bypass(
  context: SendContext,
  call: SendCall,
  next: () => Promise<UpstreamResult>,
): Promise<UpstreamResult> {
  context.cache.stats.recordBypass();
  let upstream: UpstreamResult;
  try {
    upstream = await next();
  } catch (error) {
    report(context, failureInfo(call, '', error));
    throw error;
  }
  const info = settledNow(
    infoOf(call, '', 'bypass', notStoredOf(context, 'bypass', undefined, call.control)),
  );
  attachCacheInfo(upstream.output, info);
  report(context, info);
  return upstream;
}

async function lead(
  context: SendContext,
  call: SendCall,
  next: () => Promise<UpstreamResult>,
  key: string,
): Promise<UpstreamResult> {
  const flight = createStreamFlight();
  context.streamFlights.set(key, flight);
  const release = (): void => {
    if (context.streamFlights.get(key) === flight) context.streamFlights.delete(key);
  };
  try {
    if ((call.control?.mode ?? 'default') === 'default') {
      const hit = await context.cache.get(key);
      if (hit) {
        flight.resolve({ kind: 'cached' });
        release();
        return replayHit(context, call, key, hit);
      }
    }
    const upstreamStarted = performance.now();
    const upstream = await next();
    const member = streamMemberOf(call.operation) as 'stream' | 'body';
    const source = upstream.output[member];
    if (!isAsyncIterable(source)) {
      // Not a stream after all: hand it over untouched, and let waiting calls look for themselves.
      flight.resolve({ kind: 'cached' });
      release();
      return upstream;
    }
    const recording = createStreamRecording(source, {
      startedAt: upstreamStarted,
      cancel: () => cancelTransfer(upstream.response),
    });
    const stopWatching = interruptOnAbort(call.signal, recording);
    const output = { ...upstream.output, [member]: recording.read() };
    const info = pendingInfo(call, key, 'miss');
    info.settled = settleLeader(context, call, key, upstream, recording, info).finally(() => {
      stopWatching();
      release();
    });
    flight.resolve({ kind: 'live', upstream, recording, leaderSettled: info.settled });
    attachCacheInfo(output, info);
    return { output, response: upstream.response };
  } catch (error) {
    flight.reject(error);
    release();
    report(context, failureInfo(call, key, error));
    throw error;
  }
}

async function follow(
  context: SendContext,
  call: SendCall,
  next: () => Promise<UpstreamResult>,
  key: string,
  flight: StreamFlight,
): Promise<UpstreamResult> {
  let answer: Awaited<StreamFlight['answer']>;
  try {
    answer = await flight.answer;
  } catch (error) {
    report(context, failureInfo(call, key, error));
    throw error;
  }
  // The leader found an entry (look it up too), or its recording can no longer be joined (start afresh).
  if (answer.kind === 'cached' || !answer.recording.joinable) {
    if (context.streamFlights.get(key) === flight) context.streamFlights.delete(key);
    return sendStream(context, call, next);
  }
  const member = streamMemberOf(call.operation) as 'stream' | 'body';
  const output = { ...answer.upstream.output, [member]: answer.recording.read() };
  const info = pendingInfo(call, key, 'hit');
  info.coalesced = true;
  info.settled = answer.leaderSettled.then((leader) => {
    info.pending = false;
    info.meta = leader.meta;
    info.stored = leader.stored;
    if (leader.notStoredReason) info.notStoredReason = leader.notStoredReason;
    if (leader.notStoredCode) info.notStoredCode = leader.notStoredCode;
    if (leader.notStoredDetail) info.notStoredDetail = leader.notStoredDetail;
    if (leader.error !== undefined) info.error = leader.error;
    else if (leader.notStoredReason !== 'stream-abandoned') {
      info.saved = savedOf(leader.meta, info.latencyMs);
      context.cache.stats.recordHit(key, info.latencyMs, leader.meta, true);
    }
    report(context, info);
    return info;
  });
  attachCacheInfo(output, info);
  return { output, response: CACHED_HTTP_RESPONSE };
}

/** Waits for the recording to be delivered, stores it, and completes the leader's information. */
async function settleLeader(
  context: SendContext,
  call: SendCall,
  key: string,
  upstream: UpstreamResult,
  recording: StreamRecording<object>,
  info: CacheInfo,
): Promise<CacheInfo> {
  try {
    const events = await recording.delivered;
    const record = recordSafely(context, call, upstream, events);
    const meta = {
      latencyMs: Math.round((events.at(-1)?.atMs ?? 0) * 1000) / 1000,
      ...context.describe(record, call.request),
    };
    const outcome = await context.cache.set(key, record, {
      request: call.request,
      meta,
      ...(call.control?.ttlSeconds === undefined ? {} : { ttlSeconds: call.control.ttlSeconds }),
      ...(call.control?.tags === undefined ? {} : { tags: call.control.tags }),
    });
    context.cache.stats.recordMiss(key, meta.latencyMs, meta);
    info.meta = call.control?.tags ? { ...meta, tags: call.control.tags } : meta;
    info.stored = outcome.stored;
    if (outcome.notStoredReason) {
      Object.assign(info, notStoredOf(context, outcome.notStoredReason, record, call.control));
    }
  } catch (error) {
    const interrupted = error instanceof StreamInterruptedError;
    const abandoned = interrupted || error instanceof StreamAbandonedError;
    Object.assign(
      info,
      notStoredOf(context, abandoned ? 'stream-abandoned' : 'upstream-error', undefined, call.control),
    );
    if (interrupted) {
      info.notStoredDetail = "the call's abortSignal fired before the end; the upstream stream was cancelled";
    }
    if (!abandoned) info.error = error;
  }
  info.pending = false;
  report(context, info);
  return info;
}

function recordSafely(
  context: SendContext,
  call: SendCall,
  upstream: UpstreamResult,
  events: RecordedEvent[],
): RecordedResponse {
  try {
    return recordStream(
      call.operation,
      upstream.output,
      events,
      recordContextOf(context, call, upstream.response),
    );
  } catch (error) {
    return {
      operation: call.operation,
      provider: 'unknown',
      fields: {},
      events,
      summary: { complete: false, problem: `the stream could not be recorded (${String(error)})` },
    };
  }
}

function replayHit(
  context: SendContext,
  call: SendCall,
  key: string,
  hit: CacheHit<RecordedResponse>,
): UpstreamResult {
  const output = outputFromRecord(hit.value, (events) =>
    replayEvents(events, { pacing: context.replayPacing, sleep: context.sleep, signal: call.signal }),
  );
  const latencyMs = performance.now() - call.started;
  context.cache.stats.recordHit(key, latencyMs, hit.entry.meta);
  const info = settledNow(
    infoOf(call, key, 'hit', {
      latencyMs,
      saved: savedOf(hit.entry.meta, latencyMs),
      stored: true,
      meta: hit.entry.meta,
    }),
  );
  attachCacheInfo(output, info);
  report(context, info);
  return { output, response: CACHED_HTTP_RESPONSE };
}

function pendingInfo(call: SendCall, key: string, status: 'hit' | 'miss'): CacheInfo {
  // `settled` is set by the caller, once it knows what the stream's end will bring.
  return {
    ...infoOf(call, key, status, { pending: true }),
    settled: undefined as unknown as Promise<CacheInfo>,
  };
}

/**
 * The SDK closes the upstream transfer when the leading call's abort signal fires, and the event-stream decoder
 * may then simply end. Every reader of the shared recording gets an error instead of a clean, truncated end.
 * Returns a function that stops watching.
 */
function interruptOnAbort(signal: AbortSignal | undefined, recording: StreamRecording<object>): () => void {
  if (!signal) return () => undefined;
  const onAbort = (): void => recording.interrupt(new StreamInterruptedError(signal.reason));
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** Closes the HTTP response body: a Node stream (HTTP/2 or HTTP/1.1 handler) or a web ReadableStream (fetch). */
function cancelTransfer(httpResponse: unknown): void {
  const body = (httpResponse as { body?: unknown } | null)?.body as
    | { destroy?: () => void; cancel?: () => Promise<void> }
    | undefined;
  if (typeof body?.destroy === 'function') body.destroy();
  else if (typeof body?.cancel === 'function') void body.cancel().catch(() => undefined);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<object> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}
