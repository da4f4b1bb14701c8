import type { HttpRequest } from '@prompt-cache/bedrock-simulator';
import { GatewayError, validationError } from './errors.js';
import { requireJsonDepth, utf8Of } from './request-bounds.js';

/** Default largest request body: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/**
 * A request body over the limit: 413, a ValidationException as Bedrock names it. `closeConnection` is set when
 * the rest of the body was not read (it is too large even to discard), so the connection must not be reused.
 */
export class BodyTooLargeError extends GatewayError {
  readonly closeConnection: boolean;

  constructor(maxBytes: number, size: number | undefined, closeConnection: boolean) {
    const seen = size === undefined ? 'larger than that' : `${size} bytes`;
    super(
      'ValidationException',
      413,
      `[server] the request body is ${seen}; the limit is ${maxBytes} bytes (--max-body-bytes, PROMPT_CACHE_MAX_BODY_BYTES)`,
    );
    this.closeConnection = closeConnection;
  }
}

/** Past the limit a body is still read and thrown away up to this size, so the connection stays usable. */
export function discardLimitOf(maxBytes: number): number {
  return Math.max(maxBytes * 4, 8 * 1_048_576);
}

/**
 * Reads a request body up to `maxBytes`. A body over the limit is read to its end and thrown away (up to
 * {@link discardLimitOf}), then refused with a 413; a `content-length` beyond what is worth discarding is refused
 * at once.
 */
export function readBody(request: HttpRequest, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  const discardLimit = discardLimitOf(maxBytes);
  if (Number.isFinite(declared) && declared > discardLimit) {
    return Promise.reject(new BodyTooLargeError(maxBytes, declared, true));
  }
  // Events rather than `for await`: leaving a `for await` early destroys the request, and with it the socket
  // the 413 must still be written to.
  const stream = request as NodeJS.ReadableStream & { readableEnded?: boolean };
  if (stream.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > discardLimit) {
        cleanup();
        stream.pause();
        reject(new BodyTooLargeError(maxBytes, undefined, true));
        return;
      }
      if (size <= maxBytes) chunks.push(buffer);
    };
    const onEnd = (): void => {
      cleanup();
      if (size > maxBytes) reject(new BodyTooLargeError(maxBytes, size, false));
      else resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      reject(
        new GatewayError(
          'ValidationException',
          400,
          '[server] the client closed the request before its body ended',
        ),
      );
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** The media type of a request without parameters, lower case: `application/json`; `''` when absent. */
export function mediaTypeOf(request: HttpRequest): string {
  const header = request.headers['content-type'];
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Refuses (415) a body declared as something other than JSON. A request without a content type is let through. */
export function requireJsonContent(request: HttpRequest): void {
  const type = mediaTypeOf(request);
  if (type === '' || type === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(type)) return;
  throw new GatewayError(
    'ValidationException',
    415,
    `[server] content-type ${JSON.stringify(type.slice(0, 100))} is not supported here; send JSON with content-type: application/json`,
  );
}

/** Parses a JSON body; an empty or malformed body is a 400 ValidationException. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw validationError('[server] the request body is empty; send a JSON object');
  const text = utf8Of(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw validationError(`[server] the request body is not valid JSON (${reason.slice(0, 200)})`);
  }
  requireJsonDepth(value);
  return value;
}

/** Parses a JSON body that must be an object. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  const value = parseJsonBody(body);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw validationError(
      `[server] the request body must be a JSON object; got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

/** One request header as a string (the first, when repeated); `undefined` when absent. */
export function headerOf(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The path and query of a request URL, without trusting it to be well formed. */
export function splitUrl(rawUrl: string | undefined): { path: string; query: URLSearchParams } {
  const url = rawUrl ?? '/';
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(mark === -1 ? '' : url.slice(mark + 1));
  } catch {
    query = new URLSearchParams();
  }
  return { path: path === '' ? '/' : path, query };
}
