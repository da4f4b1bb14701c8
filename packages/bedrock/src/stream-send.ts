import type { CacheResult } from '@prompt-cache/core';
import type { LiveResult } from '@prompt-cache/core/store-kit';
import { callOptionsOf } from './cache-control.js';
import {
  attachCacheInfo,
  type CacheInfo,
  infoOf,
  notStoredOf,
  pendingInfo,
  resultInfo,
  settledNow,
} from './cache-info.js';
import type { CachedSend, SendCall } from './cached-send.js';
import { StreamAbandonedError, StreamInterruptedError } from './errors.js';
import { streamMemberOf } from './operations.js';
import type { RecordedEvent, RecordedResponse } from './recorded-response.js';
import { outputFromRecord, recordStream } from './response-record.js';
import { createStreamRecording, type StreamRecording } from './stream-recording.js';
import { replayEvents } from './stream-replay.js';
import { CACHED_HTTP_RESPONSE, type UpstreamResult } from './upstream-result.js';

/** What a stream call shares with identical calls in flight: the upstream answer and its recording. */
interface LiveStream {
  upstream: UpstreamResult;
  /** Absent when the answer was not a stream after all: it is handed over untouched and never shared. */
  recording?: StreamRecording<object>;
}

/**
 * ConverseStream and InvokeModelWithResponseStream, through the core's single-flight (`getOrComputeLive`). A hit
 * (exact, or a paraphrase's recording) replays the recorded events. A miss hands the caller the live stream while
 * it is recorded; the core stores the recording once it has ended and been read to its end. Identical calls in
 * flight read the same recording, each from its first event.
 */
export async function sendStream(
  send: CachedSend,
  call: SendCall,
  next: () => Promise<UpstreamResult>,
): Promise<UpstreamResult> {
  if (call.control?.mode === 'bypass') return bypass(send, call, next);
  const member = streamMemberOf(call.operation) as 'stream' | 'body';
  let outcome: LiveResult<LiveStream, RecordedResponse>;
  try {
    outcome = await send.cache.getOrComputeLive<LiveStream>(
      call.request,
      () => startRecording(send, call, next, member),
      {
        ...callOptionsOf(call.control),
        join: (live) => (live.recording?.joinable ? live : undefined),
      },
    );
  } catch (error) {
    send.reportFailure(call, error);
    throw error;
  }
  if (outcome.kind === 'cached') {
    return replay(send, call, outcome.result.value, resultInfo(send.cacheTruncated, call, outcome.result));
  }
  const { upstream, recording } = outcome.live;
  if (!recording) return upstream;
  const output = { ...upstream.output, [member]: recording.read() };
  const info = pendingInfo(call, outcome.key, outcome.status);
  info.coalesced = outcome.coalesced;
  info.settled = outcome.settled.then(
    (result) => settle(send, call, info, result),
    (error: unknown) => settle(send, call, info, error),
  );
  if (outcome.status === 'bypass')
    Object.assign(info, notStoredOf(send.cacheTruncated, 'bypass', undefined, call.control));
  attachCacheInfo(output, info);
  return { output, response: outcome.coalesced ? CACHED_HTTP_RESPONSE : upstream.response };
}

/** The compute of a stream miss: the upstream call, and a recording that completes once it is delivered. */
async function startRecording(
  send: CachedSend,
  call: SendCall,
  next: () => Promise<UpstreamResult>,
  member: 'stream' | 'body',
): Promise<{ live: LiveStream; complete: Promise<RecordedResponse> }> {
  const upstreamStarted = performance.now();
  const upstream = await next();
  const source = upstream.output[member];
  // Not a stream after all: hand it over untouched, store nothing, and let waiting calls look for themselves.
  if (!isAsyncIterable(source)) return { live: { upstream }, complete: Promise.reject(NOT_A_STREAM) };
  const recording = createStreamRecording(source, {
    startedAt: upstreamStarted,
    cancel: () => cancelTransfer(upstream.response),
  });
  const stopWatching = interruptOnAbort(call.signal, recording);
  const complete = recording.delivered.then((events) => recordSafely(send, call, upstream, events));
  complete.then(stopWatching, stopWatching);
  return { live: { upstream, recording }, complete };
}

const NOT_A_STREAM = new Error('[bedrock] the answer has no event stream');

/** Completes a live call's information once its stream has ended (and been stored, or not), and reports it. */
function settle(send: CachedSend, call: SendCall, info: CacheInfo, outcome: unknown): CacheInfo {
  if (outcome instanceof Error || !isResult(outcome)) {
    const interrupted = outcome instanceof StreamInterruptedError;
    const abandoned = interrupted || outcome instanceof StreamAbandonedError;
    Object.assign(
      info,
      notStoredOf(
        send.cacheTruncated,
        abandoned ? 'stream-abandoned' : 'upstream-error',
        undefined,
        call.control,
      ),
    );
    if (interrupted) {
      info.notStoredDetail = "the call's abortSignal fired before the end; the upstream stream was cancelled";
    }
    if (!abandoned) info.error = outcome;
  } else if (info.status !== 'bypass') {
    const final = resultInfo(send.cacheTruncated, call, outcome);
    info.meta = final.meta;
    info.stored = final.stored;
    if (info.coalesced) info.saved = final.saved;
    for (const field of ['notStoredReason', 'notStoredCode', 'notStoredDetail'] as const) {
      if (final[field] !== undefined) info[field] = final[field] as never;
    }
  }
  info.pending = false;
  send.report(info);
  return info;
}

function isResult(value: unknown): value is CacheResult<RecordedResponse> {
  return typeof value === 'object' && value !== null && 'status' in value && 'key' in value;
}

async function bypass(
  send: CachedSend,
  call: SendCall,
  next: () => Promise<UpstreamResult>,
): Promise<UpstreamResult> {
  send.cache.stats.recordBypass();
  let upstream: UpstreamResult;
  try {
    upstream = await next();
  } catch (error) {
    send.reportFailure(call, error);
    throw error;
  }
  const info = settledNow(
    infoOf(call, '', 'bypass', notStoredOf(send.cacheTruncated, 'bypass', undefined, call.control)),
  );
  attachCacheInfo(upstream.output, info);
  send.report(info);
  return upstream;
}

function recordSafely(
  send: CachedSend,
  call: SendCall,
  upstream: UpstreamResult,
  events: RecordedEvent[],
): RecordedResponse {
  try {
    return recordStream(call.operation, upstream.output, events, send.recordContext(call, upstream.response));
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

/** A recorded stream answered from the cache (by its own key, or by a paraphrase's), replayed event by event. */
function replay(send: CachedSend, call: SendCall, record: RecordedResponse, info: CacheInfo): UpstreamResult {
  const output = outputFromRecord(record, (events) =>
    replayEvents(events, { pacing: send.replayPacing, sleep: send.sleep, signal: call.signal }),
  );
  attachCacheInfo(output, info);
  send.report(info);
  return { output, response: CACHED_HTTP_RESPONSE };
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
