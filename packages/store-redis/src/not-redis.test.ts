import { createServer, type Server } from 'node:net';
import { StoreUnavailableError } from '@prompt-cache/core/store-kit';
import { findFreePort } from '@prompt-cache/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from './index.js';

describe('createRedisStore on a host that is not a Redis server', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    port = await findFreePort();
    // An HTTP server: it answers anything with an HTTP status line ("H" is not a RESP reply type).
    server = createServer((socket) => {
      socket.on('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('says that it is not a Redis server, not "Unknown RESP type 72"', async () => {
    const store = createRedisStore({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 2000 });
    try {
      const failure = await store.get('some-key').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as Error).message).toMatch(
        new RegExp(`^\\[store-redis\\] redis://127\\.0\\.0\\.1:${port} is not a Redis server`),
      );
      expect((failure as Error).message).not.toContain('RESP');
    } finally {
      await store.close();
    }
  });
});
