import { parseTtlFlag } from '@prompt-cache/app-kit';
import type { HttpRequest } from '@prompt-cache/bedrock-simulator';
import type { CacheMode } from '@prompt-cache/core';
import { validationError } from './errors.js';
import { headerOf } from './http-io.js';

/** The gateway's own headers. Request headers are read by the gateway and never forwarded upstream. */
export const CACHE_HEADERS = {
  /** Response: `hit`, `semantic-hit` (answered by a paraphrase's entry), `miss` or `bypass`. */
  status: 'x-prompt-cache',
  /** Response, on a semantic hit: how close the cached prompt is, 0..1 (`0.8312`). */
  similarity: 'x-prompt-cache-similarity',
  /** Response, on a semantic hit: the key of the entry that answered (`x-prompt-cache-key` is the request's). */
  matchedKey: 'x-prompt-cache-matched-key',
  /** Response: the entry's key, `<namespace>:v1:<sha256>`; empty when bypassed or not known. */
  key: 'x-prompt-cache-key',
  /**
   * Response: `yes` when the answer is in the cache, or `no; reason=<word>` (`guardrail_intervened`, `bypass`, ...).
   * Absent on a live stream, whose fate is known only after its headers went out.
   */
  stored: 'x-prompt-cache-stored',
  /** Request: `default`, `refresh` (skip the read, store the fresh answer) or `bypass` (neither read nor write). */
  mode: 'x-prompt-cache-mode',
  /** Request: TTL of the entry this call stores, in seconds or `30m`, `2h`, `1d`; `0` = no expiry. */
  ttl: 'x-prompt-cache-ttl',
  /** Request: the namespace to use, for the admin key (or anyone when no keys are configured). */
  namespace: 'x-prompt-cache-namespace',
} as const;

const MODES: readonly CacheMode[] = ['default', 'refresh', 'bypass'];

/** Per-request cache controls. */
export interface RequestCacheControl {
  mode: CacheMode;
  ttlSeconds: number | undefined;
  /** A namespace asked for in `x-prompt-cache-namespace`. */
  namespace: string | undefined;
}

/** Parses a cache mode; anything else is a 400 ValidationException naming `where`. */
export function parseCacheMode(value: unknown, where: string): CacheMode {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if ((MODES as readonly unknown[]).includes(text)) return text as CacheMode;
  throw validationError(
    `[server] ${where} must be default, refresh or bypass; got ${JSON.stringify(String(value).slice(0, 40))}`,
  );
}

/** Parses a TTL (`3600`, `30m`, `2h`, `1d`, `0`); anything else is a 400 ValidationException naming `where`. */
export function parseRequestTtl(value: unknown, where: string): number {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw validationError(
      `[server] ${where} must be a number of seconds (or 30m, 2h, 1d); got ${typeof value}`,
    );
  }
  try {
    return parseTtlFlag(value, where);
  } catch (error) {
    throw validationError(`[server] ${(error as Error).message.replace(/^\[[a-z-]+\] /, '')}`);
  }
}

/** The cache controls of a request's headers. */
export function cacheControlOf(request: HttpRequest): RequestCacheControl {
  const mode = headerOf(request, CACHE_HEADERS.mode);
  const ttl = headerOf(request, CACHE_HEADERS.ttl);
  const namespace = headerOf(request, CACHE_HEADERS.namespace);
  return {
    mode: mode === undefined || mode === '' ? 'default' : parseCacheMode(mode, CACHE_HEADERS.mode),
    ttlSeconds: ttl === undefined || ttl === '' ? undefined : parseRequestTtl(ttl, CACHE_HEADERS.ttl),
    namespace: namespace === undefined || namespace === '' ? undefined : namespace.trim(),
  };
}

/** True when a request carries any of the headers {@link cacheControlOf} reads (present, even if empty). */
export function hasCacheControls(request: HttpRequest): boolean {
  const { headers } = request;
  return (
    headers[CACHE_HEADERS.mode] !== undefined ||
    headers[CACHE_HEADERS.ttl] !== undefined ||
    headers[CACHE_HEADERS.namespace] !== undefined
  );
}

/** Whether an answer is in the cache, and why not in one word. */
export interface StoredState {
  stored: boolean;
  notStoredCode?: string | undefined;
}

/** What a semantic hit adds to the headers. */
export interface SemanticHeaders {
  similarity: number;
  matchedKey: string;
}

/**
 * Sets `x-prompt-cache`, `x-prompt-cache-key` and (when known) `x-prompt-cache-stored` among an answer's headers;
 * for a semantic hit, `x-prompt-cache: semantic-hit` with its similarity and the key of the entry that answered.
 */
export function setCacheHeaders(
  headers: Record<string, string>,
  status: 'hit' | 'miss' | 'bypass',
  key: string,
  stored?: StoredState,
  semantic?: SemanticHeaders,
): void {
  headers[CACHE_HEADERS.status] = semantic && status === 'hit' ? 'semantic-hit' : status;
  headers[CACHE_HEADERS.key] = key;
  if (semantic && status === 'hit') {
    headers[CACHE_HEADERS.similarity] = semantic.similarity.toFixed(4);
    headers[CACHE_HEADERS.matchedKey] = semantic.matchedKey;
  }
  if (stored === undefined) return;
  headers[CACHE_HEADERS.stored] = stored.stored ? 'yes' : `no; reason=${stored.notStoredCode ?? 'unknown'}`;
}
