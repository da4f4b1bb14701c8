import { createStoreFromOptions } from '@prompt-cache/app-kit';
import { decodeFrame } from '@prompt-cache/bedrock-simulator';
import type { CacheStore } from '@prompt-cache/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway, StatsView } from '../src/index.js';
import { converseBody, startTestGateway, upstreamCalls } from './helpers.js';

const MODEL_PATH = encodeURIComponent('amazon.nova-lite-v1:0');

// A gateway of its own for each test: vitest shuffles tests under CI, so none may lean on another's entries.
let gateway: Gateway;

beforeEach(async () => {
  gateway = await startTestGateway();
});

afterEach(async () => {
  await gateway?.close();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Asks a Converse question twice (a miss, then a hit); the response bodies are read, so the calls are done. */
async function askTwice(question: string, route = 'converse'): Promise<void> {
  for (const expected of ['miss', 'hit']) {
    const response = await post(`/model/${MODEL_PATH}/${route}`, converseBody(question));
    await response.arrayBuffer();
    expect(response.headers.get('x-prompt-cache')).toBe(expected);
  }
}

/** Splits an event-stream body into frames (each starts with its total length, big-endian). */
function framesOf(bytes: Uint8Array): Array<{ headers: Record<string, unknown>; body: unknown }> {
  const frames = [];
  let offset = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (offset < bytes.byteLength) {
    const length = view.getUint32(offset);
    frames.push(decodeFrame(bytes.subarray(offset, offset + length)));
    offset += length;
  }
  return frames;
}

describe('HTTP/1.1 clients on the same port', () => {
  it('converse: a miss, then a hit with the same body', async () => {
    const body = converseBody('What does a TTL do? (http1 converse)');
    const first = await post(`/model/${MODEL_PATH}/converse`, body);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-prompt-cache')).toBe('miss');
    expect(first.headers.get('content-type')).toBe('application/json');
    const firstBody = (await first.json()) as { output: { message: { content: Array<{ text: string }> } } };
    expect(firstBody.output.message.content[0]!.text).toMatch(/^\[simulated\] /);
    const second = await post(`/model/${MODEL_PATH}/converse`, body);
    expect(second.headers.get('x-prompt-cache')).toBe('hit');
    expect(second.headers.get('x-prompt-cache-key')).toBe(first.headers.get('x-prompt-cache-key'));
    expect(await second.json()).toEqual(firstBody);
  });

  it('says whether an answer was stored, and why not in one word, in a header and in /v1/stats', async () => {
    const stored = await post(
      `/model/${MODEL_PATH}/converse`,
      converseBody('Is this stored? (http1 stored)'),
    );
    expect(stored.headers.get('x-prompt-cache-stored')).toBe('yes');
    const truncated = await post(`/model/${MODEL_PATH}/converse`, {
      ...converseBody('Tell me everything about caches (http1 truncated)'),
      inferenceConfig: { maxTokens: 5 },
    });
    expect(truncated.headers.get('x-prompt-cache-stored')).toBe('yes');
    const blocked = await post(`/model/${MODEL_PATH}/converse`, {
      ...converseBody('This prompt is BLOCKED by policy (http1 stored)'),
      guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
    });
    expect(blocked.status).toBe(200);
    expect(blocked.headers.get('x-prompt-cache')).toBe('miss');
    expect(blocked.headers.get('x-prompt-cache-stored')).toBe('no; reason=guardrail_intervened');
    const ask = await post('/v1/ask', {
      prompt: 'Not stored when bypassed (http1 ask stored)',
      cacheMode: 'bypass',
    });
    expect(ask.headers.get('x-prompt-cache-stored')).toBe('no; reason=bypass');
    expect(await ask.json()).toMatchObject({ stored: false, notStoredCode: 'bypass' });
    const stats = (await (await fetch(`${gateway.url}/v1/stats`)).json()) as StatsView;
    expect(stats.notStored.guardrail_intervened).toBeGreaterThanOrEqual(1);
  });

  it('converse-stream: event-stream frames, replayed identically on a hit', async () => {
    const body = converseBody('What is write-through caching? (http1 stream)');
    const first = await post(`/model/${MODEL_PATH}/converse-stream`, body);
    expect(first.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    expect(first.headers.get('x-prompt-cache')).toBe('miss');
    const live = framesOf(new Uint8Array(await first.arrayBuffer()));
    const second = await post(`/model/${MODEL_PATH}/converse-stream`, body);
    expect(second.headers.get('x-prompt-cache')).toBe('hit');
    const replayed = framesOf(new Uint8Array(await second.arrayBuffer()));
    expect(replayed).toEqual(live);
    expect(live[0]!.headers[':event-type']).toBe('messageStart');
    expect(live.at(-1)!.headers[':event-type']).toBe('metadata');
    const delta = live.find((frame) => frame.headers[':event-type'] === 'contentBlockDelta');
    expect(delta?.body).toMatchObject({ contentBlockIndex: 0, delta: { text: expect.any(String) } });
  });

  it('POST /v1/ask answers with the fields of `prompt-cache ask --json`', async () => {
    const before = await upstreamCalls(gateway);
    const first = await post('/v1/ask', { prompt: 'What is a cache key? (http1 ask)' });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-prompt-cache')).toBe('miss');
    const miss = (await first.json()) as Record<string, unknown>;
    expect(miss).toMatchObject({
      cached: false,
      status: 'miss',
      model: 'amazon.nova-lite-v1:0',
      provider: 'simulator',
      savedUsd: 0,
      namespace: 'prompt-cache',
    });
    expect(miss.key).toMatch(/^prompt-cache:v1:/);
    expect(miss.text).toMatch(/^\[simulated\] /);
    expect(miss.usage).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) });
    expect(typeof miss.costUsd).toBe('number');
    expect(typeof miss.latencyMs).toBe('number');
    const second = await post('/v1/ask', { prompt: 'What is a cache key? (http1 ask)' });
    const hit = (await second.json()) as Record<string, unknown>;
    expect(hit).toMatchObject({ cached: true, status: 'hit', key: miss.key, text: miss.text, costUsd: 0 });
    expect(hit.savedUsd).toBe(miss.costUsd);
    expect(await upstreamCalls(gateway)).toBe(before + 1);
  });

  it('/v1/ask shares entries with the Bedrock route (same Converse input, same key)', async () => {
    const prompt = 'Shared between routes (http1 ask+converse)';
    const asked = (await (await post('/v1/ask', { prompt })).json()) as { key: string; text: string };
    const converse = await post(`/model/${MODEL_PATH}/converse`, converseBody(prompt));
    expect(converse.headers.get('x-prompt-cache')).toBe('hit');
    expect(converse.headers.get('x-prompt-cache-key')).toBe(asked.key);
  });

  it('/v1/ask takes a full request, a model, a TTL and a cache mode', async () => {
    const request = { messages: [{ role: 'user', content: [{ text: 'Full request (http1 ask)' }] }] };
    const bypass = await post('/v1/ask', { request, cacheMode: 'bypass' });
    expect((await bypass.json()) as object).toMatchObject({ status: 'bypass', cached: false });
    const miss = await post('/v1/ask', { request, model: 'amazon.nova-micro-v1:0', ttl: '10m' });
    expect((await miss.json()) as object).toMatchObject({ status: 'miss', model: 'amazon.nova-micro-v1:0' });
    const hit = await post('/v1/ask', { request, model: 'amazon.nova-micro-v1:0' });
    expect((await hit.json()) as object).toMatchObject({ status: 'hit' });
    const entries = (await (await fetch(`${gateway.url}/v1/entries?limit=1000`)).json()) as {
      entries: Array<{ model: string; ttlLeftSeconds: number }>;
    };
    const micro = entries.entries.find((entry) => entry.model === 'amazon.nova-micro-v1:0');
    expect(micro?.ttlLeftSeconds).toBeGreaterThan(500);
    expect(micro?.ttlLeftSeconds).toBeLessThanOrEqual(600);
  });

  it('GET /v1/stats counts hits and misses, with latency percentiles and savings', async () => {
    await askTwice('What does a stats endpoint count? (http1 stats)');
    const response = await fetch(`${gateway.url}/v1/stats`);
    expect(response.status).toBe(200);
    const stats = (await response.json()) as StatsView;
    expect(stats.hits).toBeGreaterThan(0);
    expect(stats.misses).toBeGreaterThan(0);
    expect(stats.hitRate).toBeGreaterThan(0);
    expect(stats.hitRate).toBeLessThan(1);
    expect(stats.entries).toBeGreaterThan(0);
    expect(stats.bytes).toBeGreaterThan(0);
    expect(stats.savedUsd).toBeGreaterThan(0);
    expect(stats.savedTokens).toBeGreaterThan(0);
    expect(stats.latency.hit.p50).toEqual(expect.any(Number));
    expect(stats.latency.hit.p95).toEqual(expect.any(Number));
    expect(stats.latency.miss.p50).toEqual(expect.any(Number));
    expect(stats).toMatchObject({ scope: 'all', upstream: 'simulator', errors: expect.any(Number) });
  });

  it('GET /v1/entries pages through the entries with a cursor', async () => {
    for (const question of ['first', 'second', 'third'])
      await askTwice(`The ${question} entry (http1 entries)`);
    const all = (await (await fetch(`${gateway.url}/v1/entries?limit=1000`)).json()) as {
      entries: Array<{
        key: string;
        model: string;
        ageSeconds: number;
        ttlLeftSeconds: number;
        bytes: number;
      }>;
      nextCursor: string | null;
    };
    expect(all.nextCursor).toBeNull();
    expect(all.entries.length).toBeGreaterThanOrEqual(3);
    for (const entry of all.entries) {
      expect(entry.key).toMatch(/^prompt-cache:v1:/);
      expect(entry.bytes).toBeGreaterThan(0);
      expect(entry.ageSeconds).toBeGreaterThanOrEqual(0);
      expect(entry.ttlLeftSeconds).toBeGreaterThan(0);
    }
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 100; page++) {
      const response = (await (
        await fetch(`${gateway.url}/v1/entries?limit=2&cursor=${encodeURIComponent(cursor)}`)
      ).json()) as { entries: Array<{ key: string }>; nextCursor: string | null };
      expect(response.entries.length).toBeLessThanOrEqual(2);
      seen.push(...response.entries.map((entry) => entry.key));
      if (response.nextCursor === null) break;
      cursor = response.nextCursor;
    }
    expect(seen).toEqual(all.entries.map((entry) => entry.key));
  });

  it('GET /metrics is Prometheus text with hits, misses and latency by model and namespace', async () => {
    await askTwice('What does a metric count? (http1 metrics)');
    await askTwice('What does a streamed metric count? (http1 metrics)', 'converse-stream');
    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(
      /prompt_cache_hits_total\{model="amazon.nova-lite-v1:0",namespace="prompt-cache",operation="Converse"\} \d+/,
    );
    expect(text).toMatch(/prompt_cache_misses_total\{[^}]*operation="ConverseStream"[^}]*\} \d+/);
    expect(text).toContain('prompt_cache_request_duration_seconds_bucket{');
    expect(text).toMatch(
      /prompt_cache_saved_usd_total\{model="amazon.nova-lite-v1:0",namespace="prompt-cache"\} [0-9.e-]+/,
    );
    expect(text).toMatch(/prompt_cache_saved_tokens_total\{[^}]*\} \d+/);
    expect(text).toMatch(/prompt_cache_entries \d+/);
    expect(text).toMatch(/prompt_cache_http_requests_total\{route="converse",code="200"\} \d+/);
  });

  it('GET /healthz is 200 when the store answers', async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', upstream: 'simulator' });
  });

  it('x-prompt-cache-ttl sets the TTL of the stored entry', async () => {
    const response = await post(`/model/${MODEL_PATH}/converse`, converseBody('Short-lived (http1 ttl)'), {
      'x-prompt-cache-ttl': '90',
    });
    const key = response.headers.get('x-prompt-cache-key');
    const listing = (await (await fetch(`${gateway.url}/v1/entries?limit=1000`)).json()) as {
      entries: Array<{ key: string; ttlLeftSeconds: number }>;
    };
    const entry = listing.entries.find((candidate) => candidate.key === key);
    expect(entry?.ttlLeftSeconds).toBeGreaterThan(80);
    expect(entry?.ttlLeftSeconds).toBeLessThanOrEqual(90);
  });

  it('DELETE /v1/cache clears the namespace (no keys configured: loopback callers may)', async () => {
    const first = await post('/v1/ask', { prompt: 'What is a cache key? (http1 ask)' });
    expect(first.headers.get('x-prompt-cache')).toBe('miss');
    const cleared = await fetch(`${gateway.url}/v1/cache`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    const body = (await cleared.json()) as { namespace: string; removed: number };
    expect(body.namespace).toBe('prompt-cache');
    expect(body.removed).toBeGreaterThan(0);
    const again = await post('/v1/ask', { prompt: 'What is a cache key? (http1 ask)' });
    expect(again.headers.get('x-prompt-cache')).toBe('miss');
  });
});

describe('GET /healthz with an unreachable store', () => {
  it('is 503 with the reason', async () => {
    const broken: CacheStore & { ping(): Promise<void> } = {
      ...createStoreFromOptions({ cacheType: 'memory' }),
      async ping() {
        throw new Error(
          '[store-redis] cannot reach redis://127.0.0.1:1 (ECONNREFUSED); is redis-server running?',
        );
      },
    };
    const unhealthy = await startTestGateway({ store: broken });
    try {
      const response = await fetch(`${unhealthy.url}/healthz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; reason: string };
      expect(body.status).toBe('unavailable');
      expect(body.reason).toContain('ECONNREFUSED');
    } finally {
      await unhealthy.close();
    }
  });
});

describe('GET /v1/events (Server-Sent Events)', () => {
  it('sends hello, then each request and the stats; close() ends the open stream', async () => {
    const live = await startTestGateway();
    const response = await fetch(`${live.url}/v1/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    };
    const dataOf = (event: string): unknown =>
      JSON.parse(new RegExp(`event: ${event}\\ndata: (.*)\\n`).exec(text)?.[1] ?? 'null');
    await readUntil(/event: hello\ndata: .*\n\n/);
    const hello = dataOf('hello');
    expect(hello).toMatchObject({ stats: { hits: 0, misses: 0 }, recent: [], caller: { admin: true } });
    await fetch(`${live.url}/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Live events (http1 sse)' }),
    });
    await readUntil(/event: stats\ndata: .*\n\n/);
    const request = dataOf('request');
    expect(request).toMatchObject({ operation: 'Converse', status: 'miss', model: 'amazon.nova-lite-v1:0' });
    const stats = dataOf('stats');
    expect(stats).toMatchObject({ misses: 1, entries: 1 });
    await live.close();
    await readUntil(/$^/); // to the end: close() ended the stream
  });
});
