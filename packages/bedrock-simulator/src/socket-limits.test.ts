import http2 from 'node:http2';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type DualProtocolListener, listenHttp1And2 } from './dual-protocol-server.js';
import { resolveSocketLimits, type SocketLimits } from './socket-limits.js';

let listener: DualProtocolListener | undefined;
const opened: net.Socket[] = [];

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  await listener?.close();
  listener = undefined;
});

async function listen(limits: SocketLimits): Promise<DualProtocolListener> {
  listener = await listenHttp1And2(
    (_request, response) => {
      response.end('ok');
    },
    { limits },
  );
  return listener;
}

/** A raw connection to the listener, resolved once connected. */
function connect(target: DualProtocolListener): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(target.port, '127.0.0.1', () => resolve(socket));
    socket.resume(); // read, so that the server's end of the connection is seen
    socket.on('error', () => undefined);
    socket.once('error', reject);
    opened.push(socket);
  });
}

/** Resolves when the server closes the connection (the test times out if it never does). */
function closedByServer(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    socket.once('close', () => resolve());
  });
}

describe('socket limits of the dual-protocol listener', () => {
  it('closes a connection that sends only part of its request headers', async () => {
    const target = await listen({ headersTimeoutMs: 200 });
    const socket = await connect(target);
    socket.write('POST /x HTTP/1.1\r\nhost: a\r\n');
    await closedByServer(socket);
  });

  it('closes a connection that sends half of the HTTP/2 preface', async () => {
    const target = await listen({ headersTimeoutMs: 200 });
    const socket = await connect(target);
    socket.write('PRI * HTT');
    await closedByServer(socket);
  });

  it('closes a connection that never sends a byte', async () => {
    const target = await listen({ headersTimeoutMs: 200 });
    await closedByServer(await connect(target));
  });

  it('closes a connection whose body arrives too slowly', async () => {
    const target = await listen({ headersTimeoutMs: 200, requestTimeoutMs: 300 });
    const socket = await connect(target);
    socket.write('POST /x HTTP/1.1\r\nhost: a\r\ncontent-length: 100\r\n\r\nx');
    await closedByServer(socket);
  });

  it('closes an idle keep-alive connection', async () => {
    const target = await listen({ keepAliveTimeoutMs: 100 });
    const socket = await connect(target);
    const answered = new Promise((resolve) => socket.once('data', resolve));
    socket.resume();
    socket.write('GET /x HTTP/1.1\r\nhost: a\r\n\r\n');
    await answered;
    await closedByServer(socket);
  });

  it('closes an HTTP/2 session with no traffic', async () => {
    const target = await listen({ sessionTimeoutMs: 200 });
    const session = http2.connect(target.url);
    session.on('error', () => undefined);
    await new Promise((resolve) => session.once('connect', resolve));
    await new Promise((resolve) => session.once('close', resolve));
    expect(session.destroyed).toBe(true);
  });

  it('makes room for new requests by closing the oldest idle connections at the cap', async () => {
    const target = await listen({ maxConnections: 10 });
    const idle = [];
    for (let index = 0; index < 15; index += 1) idle.push(await connect(target));
    const closed = idle.slice(0, 5).map(closedByServer);
    await Promise.all(closed);
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(`${target.url}/healthz`);
      expect(await response.text()).toBe('ok');
    }
    expect(idle.slice(5).some((socket) => socket.destroyed)).toBe(true);
  });

  it('refuses limits that are not positive whole numbers', () => {
    expect(() => resolveSocketLimits({ maxConnections: 0 })).toThrow(/maxConnections must be a whole number/);
    expect(() => resolveSocketLimits({ headersTimeoutMs: 1.5 })).toThrow(/headersTimeoutMs/);
  });
});
