import type { Sleep } from './clock.js';
import type { HttpRequest, HttpResponse } from './dual-protocol-server.js';
import { BedrockWireError, errorTypeHeader, malformedInput, validationError } from './errors.js';
import { EVENT_STREAM_CONTENT_TYPE, encodeException, encodeFrame } from './event-stream.js';
import type { TimedFrame } from './response-plan.js';

/** The header every simulator response carries, so a client can always tell the answer is simulated. */
export const SIMULATOR_HEADER = 'x-bedrock-simulator';

type Headers = Record<string, string>;

/** Reads a request body up to `maxBytes`; a larger body is a ValidationException. */
export async function readBody(request: HttpRequest, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > maxBytes) {
      throw validationError(`The request body is larger than the simulator's limit of ${maxBytes} bytes.`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; malformed JSON is a ValidationException, as Bedrock answers it. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw malformedInput('the request body is empty');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw malformedInput(`the request body is not valid JSON (${reason})`);
  }
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
  return response.destroyed || response.writableEnded;
}

async function write(response: HttpResponse, bytes: Uint8Array): Promise<void> {
  if (isGone(response)) return;
  const flushed = (response as { write(chunk: Uint8Array): boolean }).write(bytes);
  if (!flushed && !isGone(response)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    });
  }
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
    await write(response, encodeFrame(frame));
    if (frame.kind === 'event') events += 1;
  }
  if (interruption) {
    await write(response, encodeException(interruption.exceptionType, { message: interruption.message }));
  }
  if (!isGone(response)) response.end();
}
