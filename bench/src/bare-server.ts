import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import type { AddressInfo } from 'node:net';

/*
 * The floor of the gateway suite, in a process of its own: a bare node:http server (or, with `h2c`, a bare
 * node:http2 cleartext server, through the same request/response API the gateway uses) that answers every request
 * with the same status, headers and bytes, once the request's body has been read. Given the bytes of the expected
 * request, it also keeps the body and compares it with them (404 when it differs): the least a cache has to do
 * before it answers. It is written without a closure per request, so that tsx (which names every function it
 * creates) adds nothing to it.
 * Usage: bare-server.ts <status> <headers as JSON> <body as base64> [http1|h2c] [expected request as base64].
 * Prints `listening on http://127.0.0.1:<port>`.
 */

type Request = (IncomingMessage | Http2ServerRequest) & {
  answer?: ServerResponse | Http2ServerResponse;
  chunks?: Buffer[];
};

const [status, headersJson, bodyBase64, protocol, expectedBase64] = process.argv.slice(2);
const expected = expectedBase64 === undefined ? undefined : Buffer.from(expectedBase64, 'base64');
const body = Buffer.from(bodyBase64 ?? '', 'base64');
const headers = {
  ...(JSON.parse(headersJson ?? '{}') as Record<string, string>),
  'content-length': String(body.length),
};
const statusCode = Number(status ?? 200);

/** The `end` listener, called with the request as `this`; the request carries its response. */
function answer(this: Request): void {
  const response = this.answer!;
  response.writeHead(statusCode, headers);
  response.end(body);
}

function serve(request: Request, response: ServerResponse | Http2ServerResponse): void {
  request.answer = response;
  request.on('end', answer);
  request.resume();
}

/** The `data` listener of {@link serveChecked}. */
function keep(this: Request, chunk: Buffer): void {
  this.chunks!.push(chunk);
}

/** The `end` listener of {@link serveChecked}: the stored answer when the body is the expected one. */
function answerChecked(this: Request): void {
  const chunks = this.chunks!;
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  if (body.equals(expected!)) {
    answer.call(this);
    return;
  }
  this.answer!.writeHead(404, { 'content-length': '0' });
  this.answer!.end();
}

function serveChecked(request: Request, response: ServerResponse | Http2ServerResponse): void {
  request.answer = response;
  request.chunks = [];
  request.on('data', keep);
  request.on('end', answerChecked);
}

const handler = expected ? serveChecked : serve;
const server = protocol === 'h2c' ? createHttp2Server(handler) : createServer(handler);
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  // HTTP/2 sessions a client left open would hold close() back; nothing is in flight when the suite stops it.
  if (!('closeAllConnections' in server)) process.exit(0);
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
