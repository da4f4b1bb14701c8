import type { HttpResponse } from '@prompt-cache/bedrock-simulator';

/*
 * Every complete answer of the gateway (JSON, a cached body, an error) leaves through sendText. The first answer
 * finished in a turn of the event loop is written at once; the others finished in the same turn wait for its end
 * and leave together, the way Redis writes its replies just before it waits for more. Under load one turn serves
 * many connections. The first write wakes the client, which starts reading while the turn goes on; the rest
 * then reach a client that is already awake, which reads them in one go, instead of being woken once per answer.
 * On these machines waking the other core is the dearest part of a write (docs/BENCHMARKS.md). A request alone is
 * answered at once. Streams write their frames as they come.
 */

/** What an answer's first write needs. */
interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** Answers finished in this turn after its first, not yet written, in the order they were sent. */
let due = new Map<HttpResponse, Reply>();
/** True from the first answer of a turn until the turn ends. */
let turnAnswered = false;

/** True once an answer was sent: written, or due at the end of this turn. A second answer is ignored. */
export function answered(response: HttpResponse): boolean {
  return response.headersSent || response.destroyed || due.has(response);
}

/**
 * Sends a text or byte body with a content type (and other headers). `headers` becomes the answer's own header
 * object (its `content-length` is added): pass an object made for this answer.
 */
export function sendText(
  response: HttpResponse,
  status: number,
  body: string | Uint8Array,
  headers: Record<string, string>,
): void {
  if (answered(response)) return;
  // One header object for writeHead: each setHeader call would cost as much as a cache lookup.
  headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  response.statusCode = status; // what logs and metrics read before the answer is written
  const reply = { status, headers, body };
  if (turnAnswered) {
    due.set(response, reply);
    return;
  }
  turnAnswered = true;
  setImmediate(endTurn);
  write(response, reply);
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
 * Writes every answer waiting for the end of this turn. Runs by itself when the turn ends; call it before
 * destroying connections (a closing server), so that no answer already sent is lost.
 */
export function flushReplies(): void {
  const writing = due;
  due = new Map();
  for (const [response, reply] of writing) write(response, reply);
}

function endTurn(): void {
  turnAnswered = false;
  flushReplies();
}

function write(response: HttpResponse, { status, headers, body }: Reply): void {
  if (response.destroyed) return;
  try {
    response.writeHead(status, headers);
    response.end(body);
  } catch {
    response.destroy();
  }
}
