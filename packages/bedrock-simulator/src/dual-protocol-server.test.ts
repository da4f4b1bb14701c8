import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DualProtocolListener, listenHttp1And2 } from './dual-protocol-server.js';

async function http2Request(url: string, path: string, body: string): Promise<string> {
  const session = http2.connect(url);
  try {
    const stream = session.request({ ':method': 'POST', ':path': path });
    stream.end(body);
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    return text;
  } finally {
    session.close();
  }
}

describe('listenHttp1And2', () => {
  let listener: DualProtocolListener;

  beforeAll(async () => {
    listener = await listenHttp1And2(
      async (request, response) => {
        let body = '';
        for await (const chunk of request) body += chunk;
        response.setHeader('content-type', 'text/plain');
        response.end(`HTTP/${request.httpVersion} ${request.method} ${request.url} ${body}`);
      },
      { port: 0 },
    );
  });

  afterAll(async () => {
    await listener.close();
  });

  it('binds loopback on a free port', () => {
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.url).toBe(`http://127.0.0.1:${listener.port}`);
  });

  it('serves HTTP/2 (prior knowledge) and HTTP/1.1 through the same handler and port', async () => {
    expect(await http2Request(listener.url, '/two', 'b2')).toBe('HTTP/2.0 POST /two b2');
    const first = await fetch(`${listener.url}/one`, { method: 'POST', body: 'b1' });
    expect(await first.text()).toBe('HTTP/1.1 POST /one b1');
    // A second request on the kept-alive connection still works.
    const second = await fetch(`${listener.url}/again`, { method: 'POST', body: 'b3' });
    expect(await second.text()).toBe('HTTP/1.1 POST /again b3');
  });

  it('routes a preface that arrives in small pieces', async () => {
    const socket = net.connect(listener.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const request = 'GET /slow HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n';
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    for (const piece of [request.slice(0, 2), request.slice(2, 9), request.slice(9)]) {
      socket.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(received).toContain('HTTP/1.1 GET /slow');
  });

  it('routes an HTTP/2 preface that arrives in pieces', async () => {
    const socket = net.connect(listener.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const firstFrame = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.write('PRI * HT');
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The rest of the preface, then an empty SETTINGS frame (length 0, type 4, flags 0, stream 0).
    socket.write(
      Buffer.concat([Buffer.from('TP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]),
    );
    const frame = await firstFrame;
    expect(frame[3]).toBe(4); // the server answers with its own SETTINGS frame
    socket.destroy();
  });

  it('survives torn and garbage connections', async () => {
    for (const bytes of ['PRI * HT', 'garbage\r\n\r\n', '']) {
      const socket = net.connect(listener.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      if (bytes) socket.write(bytes);
      socket.destroy();
    }
    expect(await http2Request(listener.url, '/still', 'ok')).toBe('HTTP/2.0 POST /still ok');
  });

  it('close() ends open HTTP/1 and HTTP/2 connections', async () => {
    const own = await listenHttp1And2(
      (_request, response) => {
        response.end('x');
      },
      { port: 0 },
    );
    const session = http2.connect(own.url);
    await new Promise((resolve) => session.once('connect', resolve));
    const idle = net.connect(own.port, '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    const sessionClosed = new Promise((resolve) => session.once('close', resolve));
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    idle.on('error', () => {});
    session.on('error', () => {});
    await own.close();
    await Promise.all([sessionClosed, idleClosed]);
    await own.close(); // twice is fine
  });

  it('answers 500 when the handler throws or rejects, and keeps serving', async () => {
    const own = await listenHttp1And2(
      (request, response) => {
        if (request.url === '/throws') throw new Error('sync');
        if (request.url === '/rejects') return Promise.reject(new Error('async'));
        response.end('fine');
      },
      { port: 0 },
    );
    try {
      expect((await fetch(`${own.url}/throws`)).status).toBe(500);
      expect((await fetch(`${own.url}/rejects`)).status).toBe(500);
      expect(await (await fetch(`${own.url}/ok`)).text()).toBe('fine');
    } finally {
      await own.close();
    }
  });

  it('rejects when the port is taken', async () => {
    await expect(listenHttp1And2(() => {}, { port: listener.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});
