import type { HttpResponse } from '@prompt-cache/bedrock-simulator';
import { PromptCacheError } from '@prompt-cache/core';
import { sendText } from './replies.js';

/** The Bedrock error types the gateway itself answers with. The SDK throws the exception class of the same name. */
export type GatewayErrorType =
  | 'ValidationException'
  | 'AccessDeniedException'
  | 'UnknownOperationException'
  | 'ThrottlingException'
  | 'InternalServerException'
  | 'ServiceUnavailableException';

/**
 * A request the gateway refuses, in Bedrock's wire format: a status, an `x-amzn-errortype` header and a body
 * `{ "message": ... }`. Its `code` is `INVALID_OPTION` (the request cannot work as sent) for every 4xx.
 */
export class GatewayError extends PromptCacheError {
  /** The `x-amzn-errortype`, e.g. `ValidationException`. */
  readonly type: string;
  /** The HTTP status sent. */
  readonly status: number;
  /** Extra response headers (e.g. `allow`, `www-authenticate`). */
  readonly headers: Record<string, string>;

  constructor(
    type: GatewayErrorType | string,
    status: number,
    message: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(status >= 500 ? 'UPSTREAM_FAILED' : 'INVALID_OPTION', message, { cause: options.cause });
    this.type = type;
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

/** 400 ValidationException. */
export function validationError(message: string): GatewayError {
  return new GatewayError('ValidationException', 400, message);
}

/** 404 UnknownOperationException. */
export function unknownOperation(method: string, path: string): GatewayError {
  return new GatewayError(
    'UnknownOperationException',
    404,
    `[server] no route for ${method} ${truncate(path, 200)}; see GET / (dashboard), POST /model/{modelId}/converse, POST /v1/ask, GET /v1/stats, GET /metrics, GET /healthz`,
  );
}

/** 405 UnknownOperationException, with an `allow` header. */
export function methodNotAllowed(method: string, path: string, allowed: readonly string[]): GatewayError {
  return new GatewayError(
    'UnknownOperationException',
    405,
    `[server] ${method} is not allowed on ${truncate(path, 200)}; use ${allowed.join(' or ')}`,
    { headers: { allow: allowed.join(', ') } },
  );
}

/** 401 (no key, or a key nobody configured) or 403 (a key that may not do this): AccessDeniedException. */
export function accessDenied(status: 401 | 403, message: string): GatewayError {
  return new GatewayError(
    'AccessDeniedException',
    status,
    message,
    status === 401 ? { headers: { 'www-authenticate': 'Bearer realm="prompt-cache"' } } : {},
  );
}

/** The `x-amzn-errortype` value Bedrock sends, e.g. `ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/`. */
export function errorTypeHeader(type: string): string {
  return `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`;
}

/** An error as it goes on the wire: the SDK's service exceptions keep their type and status (passed through). */
export interface WireError {
  type: string;
  status: number;
  message: string;
  headers: Record<string, string>;
  /** True when the error came from the upstream (Bedrock or the simulator). */
  upstream: boolean;
}

/**
 * Any thrown value as a wire error:
 * - a {@link GatewayError}: as it is;
 * - an AWS SDK service exception (it has `$metadata.httpStatusCode` and `$fault`): passed through, status and type;
 * - an invalid option or TTL from our own packages: 400 ValidationException;
 * - a request the client abandoned (`AbortError`): 499, which nobody reads;
 * - a network failure reaching the upstream: 502 ServiceUnavailableException;
 * - anything else: 500 InternalServerException, with a message that names no internals.
 */
export function toWireError(error: unknown): WireError {
  if (error instanceof GatewayError) {
    return {
      type: error.type,
      status: error.status,
      message: error.message,
      headers: error.headers,
      upstream: false,
    };
  }
  const candidate = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  } | null;
  const message = typeof candidate?.message === 'string' ? candidate.message : String(error);
  const name = typeof candidate?.name === 'string' ? candidate.name : 'Error';
  if (candidate && candidate.$fault !== undefined && typeof candidate.$metadata === 'object') {
    const status = Number(candidate.$metadata?.httpStatusCode);
    const fallback = candidate.$fault === 'client' ? 400 : 500;
    return {
      type: name,
      status: Number.isInteger(status) && status >= 400 && status <= 599 ? status : fallback,
      message,
      headers: {},
      upstream: true,
    };
  }
  if (
    error instanceof PromptCacheError &&
    (error.code === 'INVALID_OPTION' || error.code === 'INVALID_TTL')
  ) {
    return { type: 'ValidationException', status: 400, message, headers: {}, upstream: false };
  }
  if (error instanceof PromptCacheError && error.code === 'INVALID_KEY_MATERIAL') {
    return { type: 'ValidationException', status: 400, message, headers: {}, upstream: false };
  }
  if (name === 'AbortError') {
    // The client went away; nobody reads this answer, and nothing was cached.
    return {
      type: 'RequestAborted',
      status: 499,
      message: '[server] the client closed the request',
      headers: {},
      upstream: false,
    };
  }
  const code = typeof candidate?.code === 'string' ? candidate.code : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE'].includes(code)) {
    return {
      type: 'ServiceUnavailableException',
      status: 502,
      message: `[server] the upstream could not be reached (${code}); check --upstream and the network`,
      headers: {},
      upstream: true,
    };
  }
  if (name === 'CredentialsProviderError') {
    return {
      type: 'AccessDeniedException',
      status: 502,
      message: `[server] the gateway has no AWS credentials for Bedrock (${oneLine(message)}); configure them or start it with --upstream simulator`,
      headers: {},
      upstream: true,
    };
  }
  return {
    type: 'InternalServerException',
    status: 500,
    message: `[server] internal error (${name}); the request was not cached`,
    headers: {},
    upstream: false,
  };
}

/** Sends a wire error (when nothing was sent yet) with `x-amzn-errortype` and `{ "message": ... }`. */
export function sendWireError(
  response: HttpResponse,
  error: WireError,
  headers: Record<string, string> = {},
): void {
  sendText(response, error.status, JSON.stringify({ message: error.message }), {
    ...headers,
    ...error.headers,
    'content-type': 'application/json',
    'x-amzn-errortype': errorTypeHeader(error.type),
  });
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}...` : text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
