import type { HttpResponse } from './http-types.js';

/**
 * Whether the client can no longer receive this response. HTTP/1.1's `ServerResponse` says so itself
 * (`destroyed`). HTTP/2's compatibility response has no `destroyed`, and after an `RST_STREAM` it even reports
 * `writableFinished` and emits `finish`: only its stream tells.
 */
export function clientGone(response: HttpResponse): boolean {
  const stream = http2StreamOf(response);
  return stream ? stream.destroyed || stream.closed : response.destroyed;
}

/** Whether the response was sent to its end (not cut by the client hanging up or resetting the stream). */
export function answeredInFull(response: HttpResponse): boolean {
  const stream = http2StreamOf(response);
  if (stream) return response.writableEnded && (stream.rstCode ?? 0) === 0;
  return response.writableFinished;
}

function http2StreamOf(
  response: HttpResponse,
): { destroyed: boolean; closed: boolean; rstCode?: number } | undefined {
  return (response as { stream?: { destroyed: boolean; closed: boolean; rstCode?: number } }).stream;
}
