import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway, StatsView } from '../src/index.js';
import { converseBody, startTestGateway, upstreamCalls } from './helpers.js';

// A repeated Converse body is answered from the key remembered for its bytes (no parsing, no key derivation,
// no SDK). These tests hold that path to the same answers and the same accounting as the usual one.

const NOVA = encodeURIComponent('amazon.nova-lite-v1:0');
const CLAUDE = encodeURIComponent('anthropic.claude-3-haiku-20240307-v1:0');

let gateway: Gateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});

afterAll(async () => {
  await gateway?.close();
});

function post(model: string, bytes: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}/model/${model}/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: bytes,
  });
}

async function stats(): Promise<StatsView> {
  return (await (await fetch(`${gateway.url}/v1/stats`)).json()) as StatsView;
}

describe('repeated Converse bodies', () => {
  it('answer with the same bytes and headers, counted as hits with what they saved', async () => {
    const bytes = JSON.stringify(converseBody('What is a known body? (fast path)'));
    const before = await stats();
    const calls = await upstreamCalls(gateway);
    const miss = await post(NOVA, bytes);
    const missBody = await miss.text();
    const answers = [];
    for (let index = 0; index < 3; index++) answers.push(await post(NOVA, bytes));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-prompt-cache')).toBe('hit');
      expect(answer.headers.get('x-prompt-cache-key')).toBe(miss.headers.get('x-prompt-cache-key'));
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(answer.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await answer.text()).toBe(missBody);
    }
    expect(await upstreamCalls(gateway)).toBe(calls + 1);
    const after = await stats();
    expect(after.hits - before.hits).toBe(3);
    expect(after.misses - before.misses).toBe(1);
    expect(after.savedTokens).toBeGreaterThan(before.savedTokens);
  });

  it('answered together in one turn, each keeps its own bytes and headers', async () => {
    const prompts = Array.from({ length: 24 }, (_, index) => `Concurrent question ${index} (fast path)`);
    const misses = await Promise.all(
      prompts.map((prompt) => post(NOVA, JSON.stringify(converseBody(prompt)))),
    );
    const expected = await Promise.all(
      misses.map(async (miss) => ({ key: miss.headers.get('x-prompt-cache-key'), body: await miss.text() })),
    );
    expect(new Set(expected.map(({ key }) => key)).size).toBe(prompts.length);
    const hits = await Promise.all(prompts.map((prompt) => post(NOVA, JSON.stringify(converseBody(prompt)))));
    for (const [index, hit] of hits.entries()) {
      expect(hit.headers.get('x-prompt-cache')).toBe('hit');
      expect(hit.headers.get('x-prompt-cache-key')).toBe(expected[index]!.key);
      expect(Number(hit.headers.get('content-length'))).toBe(Buffer.byteLength(expected[index]!.body));
      expect(await hit.text()).toBe(expected[index]!.body);
    }
  });

  it('never answer another model, and take the usual path for refresh and bypass', async () => {
    const bytes = JSON.stringify(converseBody('Same bytes, other model? (fast path)'));
    await (await post(NOVA, bytes)).text();
    expect((await post(NOVA, bytes)).headers.get('x-prompt-cache')).toBe('hit');
    const other = await post(CLAUDE, bytes);
    expect(other.headers.get('x-prompt-cache')).toBe('miss');
    expect(other.headers.get('x-prompt-cache-key')).not.toBe(
      (await post(NOVA, bytes)).headers.get('x-prompt-cache-key'),
    );
    const calls = await upstreamCalls(gateway);
    expect(
      (await post(NOVA, bytes, { 'x-prompt-cache-mode': 'refresh' })).headers.get('x-prompt-cache'),
    ).toBe('miss');
    expect((await post(NOVA, bytes, { 'x-prompt-cache-mode': 'bypass' })).headers.get('x-prompt-cache')).toBe(
      'bypass',
    );
    expect(await upstreamCalls(gateway)).toBe(calls + 2);
  });

  it('fall back to the usual path when their entry is gone', async () => {
    const bytes = JSON.stringify(converseBody('What happens after a clear? (fast path)'));
    await (await post(NOVA, bytes)).text();
    expect((await post(NOVA, bytes)).headers.get('x-prompt-cache')).toBe('hit');
    expect((await fetch(`${gateway.url}/v1/cache`, { method: 'DELETE' })).status).toBe(200);
    const calls = await upstreamCalls(gateway);
    const again = await post(NOVA, bytes);
    expect(again.headers.get('x-prompt-cache')).toBe('miss');
    expect(await upstreamCalls(gateway)).toBe(calls + 1);
    expect((await post(NOVA, bytes)).headers.get('x-prompt-cache')).toBe('hit');
  });

  it('take the usual path, with its answers, when anything but the bytes differs', async () => {
    const bytes = JSON.stringify(converseBody('Known bytes, other headers? (fast path)'));
    await (await post(NOVA, bytes)).text();
    const key = (await post(NOVA, bytes)).headers.get('x-prompt-cache-key');
    const refused = await post(NOVA, bytes, { 'content-type': 'text/plain' });
    expect(refused.status).toBe(415);
    for (const headers of <Record<string, string>[]>[
      { 'content-type': 'application/json; charset=utf-8' },
      { 'x-prompt-cache-ttl': '10m' },
      { 'x-prompt-cache-mode': 'default' },
    ]) {
      const answer = await post(NOVA, bytes, headers);
      expect(answer.headers.get('x-prompt-cache')).toBe('hit');
      expect(answer.headers.get('x-prompt-cache-key')).toBe(key);
    }
    const withQuery = await fetch(`${gateway.url}/model/${NOVA}/converse?trace=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    expect(withQuery.headers.get('x-prompt-cache')).toBe('hit');
    const unknownModel = await post(encodeURIComponent('../etc/passwd'), bytes);
    expect(unknownModel.status).toBe(400);
  });

  it('still refuse what was never valid, however often it comes', async () => {
    for (let index = 0; index < 2; index++) {
      const refused = await post(NOVA, '{"messages": [');
      expect(refused.status).toBe(400);
      expect(refused.headers.get('x-amzn-errortype')).toMatch(/ValidationException/);
    }
  });
});
