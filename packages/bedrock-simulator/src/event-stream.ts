import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** The content type of an AWS event stream response. */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One frame to send, before encoding. */
export type StreamFrame =
  | { kind: 'event'; eventType: string; body: unknown }
  | { kind: 'exception'; exceptionType: string; body: { message: string; [field: string]: unknown } };

/**
 * Encodes one event frame (`:message-type` = `event`). The body is the member's own fields, e.g.
 * `{ contentBlockIndex: 0, delta: { text: 'Hel' } }` for `contentBlockDelta`.
 */
export function encodeEvent(eventType: string, body: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(body)),
  });
}

/**
 * Encodes an exception frame (`:message-type` = `exception`), which the SDK throws while the
 * stream is read. `exceptionType` is the stream member name, e.g. `modelStreamErrorException`.
 */
export function encodeException(exceptionType: string, body: { message: string }): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(body)),
  });
}

/** Encodes a frame of either kind. */
export function encodeFrame(frame: StreamFrame): Uint8Array {
  return frame.kind === 'event'
    ? encodeEvent(frame.eventType, frame.body)
    : encodeException(frame.exceptionType, frame.body);
}

/**
 * Wraps a model's native JSON chunk the way InvokeModelWithResponseStream sends it:
 * a `chunk` event whose body is `{ "bytes": "<base64 of the JSON>" }`.
 */
export function payloadChunk(nativeChunk: unknown): StreamFrame {
  const bytes = Buffer.from(JSON.stringify(nativeChunk), 'utf8').toString('base64');
  return { kind: 'event', eventType: 'chunk', body: { bytes } };
}

/** Decodes one encoded frame; used by tests and by anyone inspecting a recorded stream. */
export function decodeFrame(bytes: Uint8Array): {
  headers: Record<string, unknown>;
  body: unknown;
} {
  const message = codec.decode(bytes);
  const headers: Record<string, unknown> = {};
  for (const [name, header] of Object.entries(message.headers)) headers[name] = header.value;
  return { headers, body: JSON.parse(toUtf8(message.body)) };
}
