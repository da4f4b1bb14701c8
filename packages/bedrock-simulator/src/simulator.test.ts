import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient } from '../test/helpers.js';
import { type BedrockSimulator, createBedrockSimulator } from './simulator.js';

describe('createBedrockSimulator', () => {
  let simulator: BedrockSimulator;
  let url: string;

  beforeAll(async () => {
    simulator = createBedrockSimulator({ latency: 0 });
    ({ url } = await simulator.listen({ port: 0 }));
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('listens on loopback and reports its URL', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(simulator.url).toBe(url);
  });

  it('refuses to listen twice', async () => {
    await expect(simulator.listen({ port: 0 })).rejects.toThrow(/already listening/);
  });

  it('exposes health and recorded calls over HTTP, and clears them', async () => {
    const client = createTestClient(url);
    try {
      await client.send(
        new ConverseCommand({
          modelId: 'global.amazon.nova-2-lite-v1:0',
          messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        }),
      );
    } finally {
      client.destroy();
    }
    const health = await fetch(`${url}/_simulator/health`);
    expect(health.headers.get('x-bedrock-simulator')).toBe('true');
    expect(await health.json()).toMatchObject({ simulated: true, calls: 1 });
    const calls = (await (await fetch(`${url}/_simulator/calls`)).json()) as {
      count: number;
      calls: unknown[];
    };
    expect(calls).toEqual({
      count: 1,
      calls: [{ operation: 'Converse', modelId: 'global.amazon.nova-2-lite-v1:0', at: expect.any(Number) }],
    });
    expect(await (await fetch(`${url}/_simulator/calls`, { method: 'DELETE' })).json()).toEqual({
      cleared: 1,
    });
    expect(simulator.calls).toHaveLength(0);
    expect(await (await fetch(`${url}/_simulator/prompt-cache`, { method: 'DELETE' })).json()).toEqual({
      cleared: 0,
    });
    expect((await fetch(`${url}/_simulator/nothing`)).status).toBe(404);
  });

  it('provides a handler that works on a plain http2 server', async () => {
    const own = createBedrockSimulator({ latency: 0 });
    const server = http2.createServer(own.handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = createTestClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const response = await client.send(
        new ConverseCommand({
          modelId: 'amazon.nova-lite-v1:0',
          messages: [{ role: 'user', content: [{ text: 'Hello?' }] }],
        }),
      );
      expect(response.output?.message?.content?.[0]?.text).toMatch(/^\[simulated\] /);
      expect(own.calls).toHaveLength(1);
    } finally {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('closes when never started, and can listen again after close', async () => {
    const idle = createBedrockSimulator({ latency: 0 });
    await idle.close();
    const first = await idle.listen();
    await idle.close();
    expect(idle.url).toBeUndefined();
    const second = await idle.listen();
    expect(second.url).toMatch(/^http:/);
    await idle.close();
    expect(first.port).toBeGreaterThan(0);
  });

  it('waits the planned latency through the injected sleep (no real waiting)', async () => {
    const waits: number[] = [];
    const slow = createBedrockSimulator({
      latency: { firstTokenMs: 800, perTokenMs: 20, jitter: 0.25 },
      sleep: async (milliseconds) => {
        waits.push(milliseconds);
      },
    });
    const { url: slowUrl } = await slow.listen();
    const client = createTestClient(slowUrl);
    try {
      const response = await client.send(
        new ConverseCommand({
          modelId: 'amazon.nova-lite-v1:0',
          messages: [{ role: 'user', content: [{ text: 'Why?' }] }],
        }),
      );
      const latencyMs = response.metrics?.latencyMs ?? 0;
      expect(waits).toEqual([latencyMs]);
      const nominal = 800 + 20 * (response.usage?.outputTokens ?? 0);
      expect(latencyMs).toBeGreaterThanOrEqual(Math.floor(nominal * 0.75));
      expect(latencyMs).toBeLessThanOrEqual(Math.ceil(nominal * 1.25));
    } finally {
      client.destroy();
      await slow.close();
    }
  });

  it('keeps serving after clients abort mid-stream over HTTP/2 and HTTP/1.1', async () => {
    const paced = createBedrockSimulator({ latency: { firstTokenMs: 1, perTokenMs: 1, jitter: 0 } });
    const { url: pacedUrl } = await paced.listen();
    const input = {
      modelId: 'amazon.nova-lite-v1:0',
      messages: [{ role: 'user' as const, content: [{ text: 'Tell me about stream aborts.' }] }],
    };
    for (const http1 of [false, true]) {
      const client = createTestClient(pacedUrl, { http1 });
      try {
        const controller = new AbortController();
        const response = await client.send(new ConverseStreamCommand(input), {
          abortSignal: controller.signal,
        });
        const aborted = (async () => {
          let seen = 0;
          for await (const _event of response.stream ?? []) {
            seen += 1;
            if (seen === 2) controller.abort();
          }
        })();
        await aborted.catch(() => undefined);
        const again = await client.send(new ConverseCommand(input));
        expect(again.output?.message?.content?.[0]?.text).toMatch(/^\[simulated\] /);
      } finally {
        client.destroy();
      }
    }
    await paced.close();
  });
});
