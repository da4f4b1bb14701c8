import { ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { type Gateway, type GatewayOptions, resolveGatewayConfig } from '../src/index.js';
import {
  converseBody,
  createGatewayClient,
  createTrigramEmbedder,
  startTestGateway,
  upstreamCalls,
} from './helpers.js';

const MODEL_PATH = encodeURIComponent('amazon.nova-lite-v1:0');
const KEYS = { a: 'key-a-0123456789', b: 'key-b-0123456789', admin: 'admin-0123456789' };
const QUESTION = 'How do I configure the retention period of logs in the Milvus server?';
const PARAPHRASE = 'How can I configure the log retention period of a Milvus server?';
const NEGATED = 'How do I disable the retention period of logs in the Milvus server?';

let gateway: Gateway | undefined;

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** A gateway with semantic matching on, and a deterministic embedder (the wiring is the point here). */
async function startSemanticGateway(options: GatewayOptions = {}): Promise<Gateway> {
  gateway = await startTestGateway({ semantic: { embedder: createTrigramEmbedder() }, ...options });
  return gateway;
}

function call(path: string, init: RequestInit & { key?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(init.headers as Record<string, string>),
  };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  return fetch(`${gateway!.url}${path}`, { ...init, headers });
}

const converse = (prompt: string, key?: string) =>
  call(`/model/${MODEL_PATH}/converse`, {
    method: 'POST',
    body: JSON.stringify(converseBody(prompt)),
    ...(key ? { key } : {}),
  });

const ask = (prompt: string, key?: string) =>
  call('/v1/ask', { method: 'POST', body: JSON.stringify({ prompt }), ...(key ? { key } : {}) });

async function stats(key?: string): Promise<Record<string, number | null>> {
  return (await (await call('/v1/stats', key ? { key } : {})).json()) as Record<string, number | null>;
}

/** Waits until `count` stored answers are in the namespace's semantic index (it learns them in the background). */
async function indexed(count: number, key?: string): Promise<void> {
  await expect.poll(async () => (await stats(key)).semanticIndexed, { timeout: 15_000 }).toBe(count);
}

describe('semantic hits through the gateway', () => {
  it('answers a paraphrase as semantic-hit with its similarity, counted apart in /v1/stats and /metrics', async () => {
    await startSemanticGateway();
    const first = await converse(QUESTION);
    expect(first.headers.get('x-prompt-cache')).toBe('miss');
    const firstKey = first.headers.get('x-prompt-cache-key');
    const answer = await first.json();
    await indexed(1);
    const calls = await upstreamCalls(gateway!);

    for (let round = 0; round < 2; round++) {
      // The second round proves the fast path for known bodies does not turn it into an exact "hit".
      const paraphrased = await converse(PARAPHRASE);
      expect(paraphrased.status).toBe(200);
      expect(paraphrased.headers.get('x-prompt-cache')).toBe('semantic-hit');
      const similarity = Number(paraphrased.headers.get('x-prompt-cache-similarity'));
      expect(similarity).toBeGreaterThanOrEqual(0.5);
      expect(similarity).toBeLessThan(1);
      expect(paraphrased.headers.get('x-prompt-cache-matched-key')).toBe(firstKey);
      expect(paraphrased.headers.get('x-prompt-cache-key')).not.toBe(firstKey);
      expect(await paraphrased.json()).toEqual(answer);
    }
    expect(await upstreamCalls(gateway!)).toBe(calls);

    // The guard refuses a negated question: the model answers it.
    expect((await converse(NEGATED)).headers.get('x-prompt-cache')).toBe('miss');
    expect((await converse(QUESTION)).headers.get('x-prompt-cache')).toBe('hit');

    const figures = await stats();
    expect(figures).toMatchObject({ hits: 3, exactHits: 1, semanticHits: 2, misses: 2 });
    expect(figures.semanticSimilarity).toBeGreaterThanOrEqual(0.5);
    const metrics = await (await call('/metrics')).text();
    expect(metrics).toMatch(/^prompt_cache_semantic_hits_total\{[^}]*operation="Converse"[^}]*\} 2$/m);
    expect(metrics).toMatch(/^prompt_cache_hits_total\{[^}]*operation="Converse"[^}]*\} 3$/m);
    expect(metrics).toMatch(/^prompt_cache_semantic_similarity_count\{[^}]*\} 2$/m);
    const sum = Number(/^prompt_cache_semantic_similarity_sum\{[^}]*\} (\S+)$/m.exec(metrics)?.[1]);
    expect(sum / 2).toBeCloseTo(figures.semanticSimilarity!, 3);
  });

  it('replays a paraphrase of a cached stream as semantic-hit to the real SDK client, counted like Converse', async () => {
    await startSemanticGateway();
    const { client, seen } = createGatewayClient(gateway!.url);
    const streamText = async (prompt: string) => {
      const output = await client.send(
        new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', ...converseBody(prompt) } as never),
      );
      let text = '';
      for await (const event of (output.stream ?? []) as AsyncIterable<ConverseStreamOutput>) {
        text += event.contentBlockDelta?.delta?.text ?? '';
      }
      return { text, headers: seen.last() };
    };
    try {
      const first = await streamText(QUESTION);
      expect(first.headers['x-prompt-cache']).toBe('miss');
      await indexed(1);
      const calls = await upstreamCalls(gateway!);

      const paraphrased = await streamText(PARAPHRASE);
      expect(paraphrased.headers['x-prompt-cache']).toBe('semantic-hit');
      expect(Number(paraphrased.headers['x-prompt-cache-similarity'])).toBeGreaterThanOrEqual(0.5);
      expect(paraphrased.headers['x-prompt-cache-matched-key']).toBe(first.headers['x-prompt-cache-key']);
      expect(paraphrased.text).toBe(first.text);
      expect(await upstreamCalls(gateway!)).toBe(calls);

      // The guard refuses a negated question on a stream too; a Converse paraphrase finds no stream's entry.
      expect((await streamText(NEGATED)).headers['x-prompt-cache']).toBe('miss');
      expect((await converse(PARAPHRASE)).headers.get('x-prompt-cache')).toBe('miss');

      expect(await stats()).toMatchObject({ hits: 1, exactHits: 0, semanticHits: 1, misses: 3 });
      const metrics = await (await call('/metrics')).text();
      expect(metrics).toMatch(
        /^prompt_cache_semantic_hits_total\{[^}]*operation="ConverseStream"[^}]*\} 1$/m,
      );
      expect(metrics).toMatch(/^prompt_cache_semantic_similarity_count\{[^}]*\} 1$/m);
    } finally {
      client.destroy();
    }
  });

  it('/v1/ask carries cache, similarity and matchedPrompt, and the recent requests keep the matched prompt', async () => {
    await startSemanticGateway();
    const first = (await (await ask(QUESTION)).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ cache: 'miss', similarity: null, matchedPrompt: null });
    await indexed(1);
    const response = await ask(PARAPHRASE);
    expect(response.headers.get('x-prompt-cache')).toBe('semantic-hit');
    const result = (await response.json()) as Record<string, unknown>;
    expect(result).toMatchObject({
      cached: true,
      status: 'hit',
      cache: 'semantic-hit',
      matchedPrompt: QUESTION,
      matchedKey: first.key,
      text: first.text,
    });
    expect(result.similarity).toBe(Number(response.headers.get('x-prompt-cache-similarity')));

    // The dashboard's first event carries the recent requests, with the prompt that answered.
    const controller = new AbortController();
    const events = await call('/v1/events', { signal: controller.signal });
    const reader = events.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const hello = JSON.parse(/^data: (.*)$/m.exec(text)?.[1] ?? '{}') as {
      recent: Record<string, unknown>[];
    };
    expect(hello.recent.at(-1)).toMatchObject({ status: 'hit', matchedPrompt: QUESTION });
    expect(hello.recent.at(-1)?.similarity).toBe(result.similarity);
    expect(hello.recent[0]).not.toHaveProperty('matchedPrompt');
  });

  it("never shares semantic hits between tenants: B's paraphrase of A's prompt is a miss", async () => {
    await startSemanticGateway({
      apiKeys: `${KEYS.a}=tenant-a,${KEYS.b}=tenant-b`,
      adminKey: KEYS.admin,
    });
    expect((await ask(QUESTION, KEYS.a)).headers.get('x-prompt-cache')).toBe('miss');
    await indexed(1, KEYS.a);
    const other = await ask(PARAPHRASE, KEYS.b);
    expect(other.headers.get('x-prompt-cache')).toBe('miss');
    expect(other.headers.get('x-prompt-cache-key')).toMatch(/^tenant-b:v1:/);
    expect(await stats(KEYS.b)).toMatchObject({ semanticHits: 0, misses: 1 });
    // The same paraphrase is a semantic hit for A: the miss above is the tenants' separation, not the rule.
    const own = await ask(PARAPHRASE, KEYS.a);
    expect(own.headers.get('x-prompt-cache')).toBe('semantic-hit');
    expect(own.headers.get('x-prompt-cache-matched-key')).toMatch(/^tenant-a:v1:/);
  });

  it('is off by default: a paraphrase is a miss, and the stats say semantic matching is off', async () => {
    gateway = await startTestGateway();
    await converse(QUESTION);
    expect((await converse(PARAPHRASE)).headers.get('x-prompt-cache')).toBe('miss');
    expect(await stats()).toMatchObject({ semanticHits: 0, semanticIndexed: null });
    expect(gateway.notices.join('\n')).not.toMatch(/semantic/);
  });
});

describe('the semantic setting', () => {
  it('comes from the option, else PROMPT_CACHE_SEMANTIC, else off; a bad value names the variable', () => {
    expect(resolveGatewayConfig({ environment: {} }).settings.semantic).toBe(false);
    expect(resolveGatewayConfig({ environment: { PROMPT_CACHE_SEMANTIC: 'on' } }).settings.semantic).toBe(
      true,
    );
    expect(
      resolveGatewayConfig({ semantic: false, environment: { PROMPT_CACHE_SEMANTIC: 'on' } }).settings
        .semantic,
    ).toBe(false);
    const withRule = resolveGatewayConfig({ semantic: { threshold: 0.7 }, environment: {} });
    expect(withRule.settings.semantic).toBe(true);
    expect(withRule.semantic).toEqual({ threshold: 0.7 });
    expect(() => resolveGatewayConfig({ environment: { PROMPT_CACHE_SEMANTIC: 'maybe' } })).toThrow(
      /PROMPT_CACHE_SEMANTIC must be on or off; got "maybe"/,
    );
  });
});
