import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * The floor of the gateway suite, in a process of its own: a bare node:http server that answers every request
 * with the same status, headers and bytes, once the request's body has been read. It is written without a
 * closure per request, so that tsx (which names every function it creates) adds nothing to it.
 * Usage: bare-server.ts <status> <headers as JSON> <body as base64>. Prints `listening on http://127.0.0.1:<port>`.
 */

const [status, headersJson, bodyBase64] = process.argv.slice(2);
const body = Buffer.from(bodyBase64 ?? '', 'base64');
const headers = {
  ...(JSON.parse(headersJson ?? '{}') as Record<string, string>),
  'content-length': String(body.length),
};
const statusCode = Number(status ?? 200);

/** The `end` listener, called with the request as `this`; the request carries its response. */
function answer(this: IncomingMessage & { answer?: ServerResponse }): void {
  const response = this.answer!;
  response.writeHead(statusCode, headers);
  response.end(body);
}

const server = createServer((request: IncomingMessage & { answer?: ServerResponse }, response) => {
  request.answer = response;
  request.on('end', answer);
  request.resume();
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
