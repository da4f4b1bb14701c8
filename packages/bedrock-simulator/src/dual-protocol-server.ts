import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, { type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import net, { type AddressInfo, type Socket } from 'node:net';
import {
  ConnectionTable,
  http1ServerOptions,
  resolveSocketLimits,
  type SocketLimits,
} from './socket-limits.js';

/** A request as seen by a handler: from the HTTP/1.1 server or from the HTTP/2 compatibility API. */
export type HttpRequest = IncomingMessage | Http2ServerRequest;

/** A response as seen by a handler: from the HTTP/1.1 server or from the HTTP/2 compatibility API. */
export type HttpResponse = ServerResponse | Http2ServerResponse;

/** A request handler that serves both HTTP/1.1 and HTTP/2 (compatibility API) requests. */
export type RequestHandler = (request: HttpRequest, response: HttpResponse) => void | Promise<void>;

/** Where {@link listenHttp1And2} binds. */
export interface ListenOptions {
  /** TCP port. `0` picks a free port. Default: `0`. */
  port?: number;
  /** Interface to bind. Default: `'127.0.0.1'` (loopback only). */
  host?: string;
  /** Timeouts and the connection cap; see {@link SocketLimits} for the defaults. */
  limits?: SocketLimits;
}

/** A running dual-protocol listener. */
export interface DualProtocolListener {
  /** The port actually bound (useful with `port: 0`). */
  port: number;
  /** The host that was bound. */
  host: string;
  /** `http://host:port`, with IPv6 hosts in brackets. */
  url: string;
  /** Stops accepting connections and destroys open sockets and HTTP/2 sessions. Safe to call twice. */
  close(): Promise<void>;
}

/** The first bytes an HTTP/2 client sends on a cleartext connection (prior knowledge, RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');

/**
 * Serves cleartext HTTP/2 and HTTP/1.1 on one port by sniffing each connection's first bytes.
 * A connection that starts with `PRI * HTTP/2.0` goes to an `http2` server, anything else to an
 * `http` server. The same `handler` serves both, so the AWS SDK (HTTP/2 by default), curl and
 * `fetch` can all reach it through the same URL.
 *
 * @example
 * const listener = await listenHttp1And2((request, response) => response.end('hi'), { port: 0 });
 * console.log(listener.url);
 * await listener.close();
 */
export async function listenHttp1And2(
  handler: RequestHandler,
  options: ListenOptions = {},
): Promise<DualProtocolListener> {
  const host = options.host ?? '127.0.0.1';
  const limits = resolveSocketLimits(options.limits);
  const connections = new ConnectionTable(limits.maxConnections);
  const sessions = new Set<Http2Session>();
  const socketOfSession = new WeakMap<Http2Session, Socket>();
  let routing: Socket | undefined; // the socket being handed to the HTTP/2 server, for its 'session' event

  // The handler should answer its own errors; this is the last line of defence.
  const answerFailure = (response: HttpResponse): void => {
    if (!response.headersSent) {
      response.statusCode = 500;
      response.end();
    } else {
      response.destroy();
    }
  };
  const serve = (request: HttpRequest, response: HttpResponse): void => {
    const session = (request as Http2ServerRequest).stream?.session;
    const done = connections.requestStarted(
      session ? socketOfSession.get(session) : (request as IncomingMessage).socket,
    );
    response.on('close', done); // 'close' comes once; `once` would wrap `done` in one more closure per request
    let running: void | Promise<void>;
    try {
      running = handler(request, response);
    } catch {
      answerFailure(response);
      return;
    }
    if (running) running.catch(() => answerFailure(response));
  };

  const http1Server = http.createServer(http1ServerOptions(limits), serve);
  // Node checks header and request timeouts from 'listening'; this server never listens itself (the sniffer does).
  http1Server.emit('listening');
  http1Server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    else socket.destroy();
  });

  const http2Server = http2.createServer(serve);
  http2Server.on('session', (session) => {
    sessions.add(session);
    if (routing) socketOfSession.set(session, routing);
    // A session that carries nothing (an idle client, or half a preface) is closed.
    session.setTimeout(limits.sessionTimeoutMs, () => session.destroy());
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
  });
  http2Server.on('sessionError', () => {});

  const routeConnection = (socket: Socket): void => {
    socket.on('error', () => {});
    if (!connections.admit(socket)) return;
    // A connection that never says which protocol it speaks is closed like one that never sends its headers.
    socket.setTimeout(limits.headersTimeoutMs, () => socket.destroy());

    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const compared = Math.min(received.length, HTTP2_PREFACE.length);
      const looksLikeHttp2 = received.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
      if (looksLikeHttp2 && received.length < HTTP2_PREFACE.length) return; // wait for more bytes
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(received);
      if (looksLikeHttp2) {
        routing = socket;
        http2Server.emit('connection', socket);
        routing = undefined;
      } else {
        http1Server.emit('connection', socket);
        // The HTTP/1 parser reads the native handle directly; replay the sniffed bytes through 'data'.
        socket.resume();
      }
    };
    const onEnd = (): void => {
      socket.destroy();
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
  };

  const netServer = net.createServer({ noDelay: true }, routeConnection);
  netServer.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      netServer.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      netServer.off('error', onError);
      resolve();
    };
    netServer.once('error', onError);
    netServer.once('listening', onListening);
    netServer.listen(options.port ?? 0, host);
  });

  const port = (netServer.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    port,
    host,
    url: `http://${urlHost}:${port}`,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        netServer.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of [...connections.sockets]) socket.destroy();
        http1Server.closeAllConnections();
        http1Server.close(() => undefined); // stops the timeout checks
      });
      return closing;
    },
  };
}
