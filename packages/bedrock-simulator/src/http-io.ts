import { clientGone, parseJsonBody, readBody as readRequestBody, writeChunk } from '@prompt-cache/http-kit';
import type { Sleep } from './clock.js';
import type { HttpRequest, HttpResponse } from './dual-protocol-server.js';
import { BedrockWireError, errorTypeHeader, malformedInput, validationError } from './errors.js';
import { EVENT_STREAM_CONTENT_TYPE, encodeException, encodeFrame } from './event-stream.js';
import type { TimedFrame } from './response-plan.js';

/** The header every simulator response carries, so a client can always tell the answer is simulated. */
export const SIMULATOR_HEADER = 'x-bedrock-simulator';

type Headers = Record<string, string>;

/** Reads a request body up to `maxBytes`; a larger body is a ValidationException. */
export function readBody(request: HttpRequest, maxBytes: number): Promise<Buffer> {
  return readRequestBody(request, {
    maxBytes,
    tooLarge: () =>
      validationError(`The request body is larger than the simulator's limit of ${maxBytes} bytes.`),
    cutShort: () => validationError('The client closed the request before its body ended.'),
  });
}

/** Parses a JSON body; an empty, non-UTF-8 or malformed body is a ValidationException, as Bedrock answers it. */
export function parseJson(body: Buffer): unknown {
  return parseJsonBody(body, (problem, reason) =>
    malformedInput(
      problem === 'empty'
        ? 'the request body is empty'
        : problem === 'not-utf8'
          ? 'the request body is not valid UTF-8'
          : `the request body is not valid JSON (${reason})`,
    ),
  );
}

function writableHead(response: HttpResponse, status: number, headers: Headers): void {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.statusCode = status;
}

/** Sends a JSON body with a status. */
export function sendJson(response: HttpResponse, status: number, body: unknown, headers: Headers = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  writableHead(response, status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

/** Sends an error in Bedrock's wire format: status, `x-amzn-errortype` and `{ "message": ... }`. */
export function sendError(response: HttpResponse, error: BedrockWireError): void {
  sendJson(
    response,
    error.status,
    { message: error.message },
    { 'x-amzn-errortype': errorTypeHeader(error.type) },
  );
}

/** Turns anything thrown by a route into a Bedrock error (unknown errors become InternalServerException). */
export function toWireError(error: unknown): BedrockWireError {
  if (error instanceof BedrockWireError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new BedrockWireError('InternalServerException', `[bedrock-simulator] internal error: ${detail}`);
}

/** Cuts a stream short with an exception frame after a number of event frames. */
export interface StreamInterruption {
  /** How many event frames go out before the exception frame. */
  afterEvents: number;
  /** The stream member name of the exception, e.g. `modelStreamErrorException`. */
  exceptionType: string;
  message: string;
}

function isGone(response: HttpResponse): boolean {
  return clientGone(response) || response.writableEnded;
}

/**
 * Sends an AWS event stream (`application/vnd.amazon.eventstream`): headers at once, then each frame
 * after its delay. Stops early when the client goes away, and sends an exception frame where
 * `interruption` asks for one.
 */
export async function sendEventStream(
  response: HttpResponse,
  frames: Iterable<TimedFrame>,
  options: { sleep: Sleep; headers?: Headers; interruption?: StreamInterruption },
): Promise<void> {
  writableHead(response, 200, { 'content-type': EVENT_STREAM_CONTENT_TYPE, ...options.headers });
  // Send the headers now, as Bedrock does: the SDK's send() resolves before the first event arrives.
  (response as { writeHead(status: number): unknown }).writeHead(200);
  (response as { flushHeaders?: () => void }).flushHeaders?.();
  let events = 0;
  const interruption = options.interruption;
  for (const { frame, delayMs } of frames) {
    if (interruption && events >= interruption.afterEvents) break;
    if (delayMs > 0) await options.sleep(delayMs);
    if (isGone(response)) return;
    await writeChunk(response, encodeFrame(frame));
    if (frame.kind === 'event') events += 1;
  }
  if (interruption) {
    await writeChunk(
      response,
      encodeException(interruption.exceptionType, { message: interruption.message }),
    );
  }
  if (!isGone(response)) response.end();
}
