import { request as httpRequest, type IncomingMessage } from 'node:http';
import http2 from 'node:http2';
import { decodeFrame } from '@prompt-cache/bedrock-simulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Gateway } from '../src/index.js';
import { converseBody, startTestGateway } from './helpers.js';

const MODEL_PATH = encodeURIComponent('amazon.nova-lite-v1:0');

let gateway: Gateway;

beforeAll(async () => {
  // A simulator that streams token by token, so that a stream is still running when a client hangs up.
  gateway = await startTestGateway({ simulatorLatencyMs: 1 });
});

afterAll(async () => {
  await gateway?.close();
});

/** Starts a `/converse-stream` call over HTTP/1.1 on a connection of its own; resolves with the response head. */
function startStream(body: unknown): Promise<IncomingMessage> {
  const url = new URL(`${gateway.url}/model/${MODEL_PATH}/converse-stream`);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      resolve,
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

/** The event types of an event-stream body, and whether an exception frame ended it. */
async function eventTypesOf(response: IncomingMessage): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const types: string[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    const length = bytes.readUInt32BE(offset);
    const frame = decodeFrame(bytes.subarray(offset, offset + length));
    types.push(String(frame.headers[':event-type'] ?? frame.headers[':exception-type']));
    offset += length;
  }
  return types;
}

function firstChunk(response: IncomingMessage): Promise<void> {
  return new Promise((resolve) => response.once('data', () => resolve()));
}

describe('a client that hangs up on a shared stream (HTTP/1.1)', () => {
  it('leaves a caller that joined it with the whole answer', async () => {
    const body = converseBody('A long answer that the first caller walks away from (joined)');
    const first = await startStream(body);
    await firstChunk(first);
    const second = await startStream(body);
    expect(second.headers['x-prompt-cache']).toBe('hit');
    first.destroy();
    const types = await eventTypesOf(second);
    expect(types[0]).toBe('messageStart');
    expect(types.at(-1)).toBe('metadata');
  });

  it('leaves a caller that comes just after with the whole answer', async () => {
    const body = converseBody('A long answer that the first caller walks away from (after)');
    const first = await startStream(body);
    await firstChunk(first);
    first.destroy();
    const second = await startStream(body);
    const types = await eventTypesOf(second);
    expect(types[0]).toBe('messageStart');
    expect(types.at(-1)).toBe('metadata');
  });
});

/** Errors and misses recorded so far, from `/v1/stats`. */
async function outcomes(): Promise<{ errors: number; misses: number }> {
  const response = await fetch(`${gateway.url}/v1/stats`);
  return (await response.json()) as { errors: number; misses: number };
}

describe('a client that cancels a stream', () => {
  it('over HTTP/1.1: stops the upstream and stores nothing', async () => {
    const before = await outcomes();
    const first = await startStream(converseBody('A stream cancelled over HTTP/1.1'));
    const key = String(first.headers['x-prompt-cache-key']);
    await firstChunk(first);
    first.destroy();
    await vi.waitFor(async () => expect((await outcomes()).errors).toBe(before.errors + 1), {
      timeout: 10_000,
    });
    expect((await outcomes()).misses).toBe(before.misses);
    expect(await gateway.store.get(key)).toBeUndefined();
  });

  it('over HTTP/2 (RST_STREAM): stops the upstream and stores nothing', async () => {
    const before = await outcomes();
    const session = http2.connect(gateway.url);
    try {
      const stream = session.request({
        ':method': 'POST',
        ':path': `/model/${MODEL_PATH}/converse-stream`,
        'content-type': 'application/json',
      });
      stream.end(JSON.stringify(converseBody('A stream cancelled over HTTP/2')));
      const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) =>
        stream.once('response', resolve),
      );
      const key = String(headers['x-prompt-cache-key']);
      await new Promise((resolve) => stream.once('data', resolve));
      stream.close(http2.constants.NGHTTP2_CANCEL);
      await vi.waitFor(
        async () => {
          const now = await outcomes();
          expect(now.errors + now.misses).toBe(before.errors + before.misses + 1);
        },
        { timeout: 10_000 },
      );
      expect((await outcomes()).errors).toBe(before.errors + 1);
      expect(await gateway.store.get(key)).toBeUndefined();
    } finally {
      session.close();
    }
  });
});
