import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { type RedisServerHandle, sendCommand, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway, GatewayOptions } from '../src/index.js';
import { converseBody, createGatewayClient, createTrigramEmbedder, startTestGateway } from './helpers.js';

// The semantic index kept with the store, one per namespace: a restarted gateway (file, Redis) and a second
// gateway on the same Redis serve a paraphrase stored before; another tenant never gets it.

const MODEL = 'amazon.nova-lite-v1:0';
const KEYS = { a: 'key-a-0123456789', b: 'key-b-0123456789' };
const QUESTION = 'How do I configure the retention period of logs in the Milvus server?';
const PARAPHRASE = 'How can I configure the log retention period of a Milvus server?';
const OTHER = 'Which port does the Milvus proxy listen on by default?';

const started: Gateway[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.close()));
});

/** A gateway with two tenants and semantic matching on, with a deterministic embedder (the wiring is the point). */
async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const gateway = await startTestGateway({
    apiKeys: `${KEYS.a}=tenant-a,${KEYS.b}=tenant-b`,
    semantic: { embedder: createTrigramEmbedder() },
    ...options,
  });
  started.push(gateway);
  return gateway;
}

async function stop(gateway: Gateway): Promise<void> {
  started.splice(started.indexOf(gateway), 1);
  await gateway.close();
}

function converse(gateway: Gateway, prompt: string, key: string): Promise<Response> {
  return fetch(`${gateway.url}/model/${encodeURIComponent(MODEL)}/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(converseBody(prompt)),
  });
}

/** Waits until the namespace of `key` holds `count` prompts in its semantic index (learned in the background). */
async function indexed(gateway: Gateway, key: string, count: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await fetch(`${gateway.url}/v1/stats`, {
          headers: { authorization: `Bearer ${key}` },
        });
        return ((await response.json()) as { semanticIndexed: number | null }).semanticIndexed;
      },
      { timeout: 15_000 },
    )
    .toBe(count);
}

/** Tenant A asks the paraphrase through the real SDK client: served from A's question stored before. */
async function expectSemanticHitForA(gateway: Gateway, answer: unknown): Promise<void> {
  const { client, seen } = createGatewayClient(gateway.url, { accessKeyId: KEYS.a });
  try {
    const output = await client.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: PARAPHRASE }] }] }),
    );
    expect(seen.last()['x-prompt-cache']).toBe('semantic-hit');
    expect(seen.last()['x-prompt-cache-matched-key']).toMatch(/^tenant-a:v1:/);
    expect(output.output).toEqual((answer as { output: unknown }).output);
  } finally {
    client.destroy();
  }
}

/** Tenant B's paraphrase of A's question: a miss, stored under B's own key. */
async function expectMissForB(gateway: Gateway): Promise<void> {
  const response = await converse(gateway, PARAPHRASE, KEYS.b);
  expect(response.headers.get('x-prompt-cache')).toBe('miss');
  expect(response.headers.get('x-prompt-cache-key')).toMatch(/^tenant-b:v1:/);
}

describe('the semantic index with the file store', () => {
  const directory = mkdtempSync(join(tmpdir(), 'gateway-semantic-file-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("a restarted gateway serves a paraphrase of what it stored before; the other tenant's file lacks it", async () => {
    const first = await startGateway({ cacheType: 'file', cacheDir: directory });
    const stored = await converse(first, QUESTION, KEYS.a);
    expect(stored.headers.get('x-prompt-cache')).toBe('miss');
    const answer = await stored.json();
    expect((await converse(first, OTHER, KEYS.b)).headers.get('x-prompt-cache')).toBe('miss');
    await indexed(first, KEYS.a, 1);
    await indexed(first, KEYS.b, 1);
    await stop(first); // saves each namespace's index

    const files = readdirSync(directory).filter((name) => name.startsWith('semantic-index.'));
    expect(files.sort()).toEqual([
      'semantic-index.test-trigram-128.tenant-a.jsonl',
      'semantic-index.test-trigram-128.tenant-b.jsonl',
    ]);
    expect(readFileSync(join(directory, files[1]!), 'utf8')).not.toContain('retention');

    const second = await startGateway({ cacheType: 'file', cacheDir: directory });
    await expectSemanticHitForA(second, answer);
    await expectMissForB(second);
  });
});

describeWithRedis('the semantic index in Redis (a redis-server of the test)', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  /** The list a Redis command answers (the test harness reads single replies only: Lua encodes it as one). */
  async function redisList(...command: string[]): Promise<string[]> {
    const script = `return cjson.encode(redis.call(${command.map((_, at) => `ARGV[${at + 1}]`).join(', ')}))`;
    const reply = await sendCommand(server.port, ['EVAL', script, '0', ...command]);
    if (reply.type !== 'bulk' || reply.text === null)
      throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
    return JSON.parse(reply.text) as string[];
  }

  it('a second gateway serves a paraphrase another one stored, and so does a restarted one; never the other tenant', async () => {
    const redis = { cacheType: 'redis', redisUrl: server.url, redisTimeoutMs: 5_000 } as const;
    const one = await startGateway(redis);
    const two = await startGateway(redis);
    // Tenant A's session on the second gateway is open (its index loaded) before the first one stores: the
    // question reaches it through the stream it follows.
    expect((await converse(two, OTHER, KEYS.a)).headers.get('x-prompt-cache')).toBe('miss');
    await indexed(two, KEYS.a, 1);
    const stored = await converse(one, QUESTION, KEYS.a);
    expect(stored.headers.get('x-prompt-cache')).toBe('miss');
    const answer = await stored.json();
    await indexed(two, KEYS.a, 2);
    await expectSemanticHitForA(two, answer);
    await expectMissForB(two);
    await indexed(two, KEYS.b, 1);
    // Each namespace's index under keys of its own; none for every namespace at once.
    const keys = await redisList('KEYS', '*{semantic*');
    expect(keys.map((key) => key.slice(key.indexOf('{'))).sort()).toEqual([
      '{semantic.tenant-a}:changes',
      '{semantic.tenant-a}:prompts',
      '{semantic.tenant-b}:changes',
      '{semantic.tenant-b}:prompts',
    ]);
    const tenantB = keys.find((key) => key.endsWith('{semantic.tenant-b}:prompts'))!;
    const prompts = await redisList('HVALS', tenantB);
    expect(prompts.map((record) => JSON.parse(record).t)).toEqual([PARAPHRASE]);

    await Promise.all([stop(one), stop(two)]);
    const restarted = await startGateway(redis);
    await expectSemanticHitForA(restarted, answer);
  });
});
