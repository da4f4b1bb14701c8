import type { HttpResponse } from '@prompt-cache/bedrock-simulator';

/*
 * Every complete answer of the gateway (JSON, a cached body, an error) leaves through sendText. Its bytes are
 * written at the end of the event loop's turn, with those of every other answer finished in the same turn, the
 * way Redis writes its replies just before it waits for more. Under load one turn serves many connections: their
 * writes then leave back to back, and a client that reads many connections (an SDK's connection pool, a load
 * generator) is woken once for the lot instead of once per answer. On these machines, where waking the other core
 * is the dearest part of a write, that took a quarter off the CPU time of a cached hit (docs/BENCHMARKS.md). A
 * request alone is answered in the turn it completes in. Streams write their frames as they come.
 */

/** Answers sent in this turn and not yet written, in the order they were sent. */
let due = new Map<HttpResponse, Reply>();

/** What an answer's first write needs. */
interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** True once an answer was sent: written, or due at the end of this turn. A second answer is ignored. */
export function answered(response: HttpResponse): boolean {
  return response.headersSent || response.destroyed || due.has(response);
}

/** Sends a text or byte body with a content type (and other headers), at the end of this turn. */
export function sendText(
  response: HttpResponse,
  status: number,
  body: string | Uint8Array,
  headers: Record<string, string>,
): void {
  if (answered(response)) return;
  // One header object for writeHead: each setHeader call would cost as much as a cache lookup.
  const length = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  response.statusCode = status; // what logs and metrics read before the answer is written
  if (due.size === 0) setImmediate(flushReplies);
  due.set(response, { status, headers: { ...headers, 'content-length': length }, body });
}

/** Sends a JSON body. */
export function sendJson(
  response: HttpResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (answered(response)) return;
  sendText(response, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/**
 * Writes every answer sent in this turn. Runs by itself at the turn's end; call it before destroying connections
 * (a closing server), so that no answer already sent is lost.
 */
export function flushReplies(): void {
  const writing = due;
  due = new Map();
  for (const [response, { status, headers, body }] of writing) {
    if (response.destroyed) continue;
    try {
      response.writeHead(status, headers);
      response.end(body);
    } catch {
      response.destroy();
    }
  }
}
