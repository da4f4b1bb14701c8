/** What the next handler of the middleware stack returns. */
export interface UpstreamResult {
  output: Record<string, unknown>;
  response: unknown;
}

/** The raw response of a call answered from the cache: no HTTP exchange happened. */
export const CACHED_HTTP_RESPONSE = Object.freeze({
  statusCode: 200,
  reason: 'answered by @prompt-cache/bedrock',
  headers: Object.freeze({ 'x-prompt-cache': 'hit' }),
});
