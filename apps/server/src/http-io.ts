import {
  type HttpRequest,
  parseJsonBody as parseJson,
  readBody as readRequestBody,
} from '@prompt-cache/http-kit';
import { GatewayError, validationError } from './errors.js';
import { requireJsonDepth } from './request-bounds.js';

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

/**
 * Reads a request body up to `maxBytes`. A body over the limit is read to its end and thrown away (up to
 * `discardLimitOf`), then refused with a 413; a `content-length` beyond what is worth discarding is refused
 * at once.
 */
export function readBody(request: HttpRequest, maxBytes: number): Promise<Buffer> {
  return readRequestBody(request, {
    maxBytes,
    tooLarge: (size, closeConnection) => new BodyTooLargeError(maxBytes, size, closeConnection),
    cutShort: () =>
      new GatewayError(
        'ValidationException',
        400,
        '[server] the client closed the request before its body ended',
      ),
  });
}

/** The media type of a request without parameters, lower case: `application/json`; `''` when absent. */
export function mediaTypeOf(request: HttpRequest): string {
  const header = request.headers['content-type'];
  if (header === 'application/json') return header; // what nearly every client sends: nothing to normalize
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

/** Parses a JSON body; an empty, non-UTF-8, malformed or too deeply nested body is a 400 ValidationException. */
export function parseJsonBody(body: Buffer): unknown {
  const value = parseJson(body, (problem, reason = '') =>
    validationError(
      problem === 'empty'
        ? '[server] the request body is empty; send a JSON object'
        : problem === 'not-utf8'
          ? '[server] the request body is not valid UTF-8; send JSON encoded as UTF-8'
          : `[server] the request body is not valid JSON (${reason.slice(0, 200)})`,
    ),
  );
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

/** The path of a request URL and its query string (after `?`, `''` when none), without trusting it to be well formed. */
export function splitUrl(rawUrl: string | undefined): { path: string; search: string } {
  const url = rawUrl ?? '/';
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  return { path: path === '' ? '/' : path, search: mark === -1 ? '' : url.slice(mark + 1) };
}

/** The parameters of a query string; a malformed one has none. */
export function parseQuery(search: string): URLSearchParams {
  try {
    return new URLSearchParams(search);
  } catch {
    return new URLSearchParams();
  }
}
