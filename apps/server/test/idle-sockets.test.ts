import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGatewayConfig } from '../src/config.js';
import type { Gateway } from '../src/index.js';
import { converseBody, startTestGateway } from './helpers.js';

let gateway: Gateway;
const idle: net.Socket[] = [];

beforeAll(async () => {
  // The case was 1,100 idle sockets against 1,024 file descriptors; a lower cap keeps the test fast.
  gateway = await startTestGateway({ socketLimits: { maxConnections: 40 } });
});

afterAll(async () => {
  for (const socket of idle) socket.destroy();
  await gateway?.close();
});

function openIdle(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(gateway.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => undefined);
    socket.once('error', reject);
    socket.resume();
    idle.push(socket);
  });
}

describe('the gateway under a flood of idle sockets', () => {
  it('keeps /healthz and model calls working, closing the oldest idle sockets', async () => {
    for (let index = 0; index < 60; index += 1) await openIdle();
    const health = await fetch(`${gateway.url}/healthz`);
    expect(health.status).toBe(200);
    const answer = await fetch(`${gateway.url}/model/amazon.nova-lite-v1%3A0/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(converseBody('Still answering under a flood of idle sockets?')),
    });
    expect(answer.status).toBe(200);
    await expect.poll(() => idle.filter((socket) => socket.destroyed).length).toBeGreaterThanOrEqual(20);
  });

  it('reads the connection cap from PROMPT_CACHE_MAX_CONNECTIONS and refuses a bad one', () => {
    const environment = { PROMPT_CACHE_MAX_CONNECTIONS: '123' };
    expect(resolveGatewayConfig({ environment }).socketLimits.maxConnections).toBe(123);
    expect(resolveGatewayConfig({ environment: {} }).socketLimits).toEqual({
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 120_000,
      keepAliveTimeoutMs: 5_000,
      sessionTimeoutMs: 60_000,
      maxConnections: 800,
    });
    expect(() => resolveGatewayConfig({ environment: { PROMPT_CACHE_MAX_CONNECTIONS: 'lots' } })).toThrow(
      /PROMPT_CACHE_MAX_CONNECTIONS must be a whole number/,
    );
    expect(() => resolveGatewayConfig({ environment: {}, socketLimits: { headersTimeoutMs: -1 } })).toThrow(
      /\[server\] socketLimits\.headersTimeoutMs/,
    );
  });
});
