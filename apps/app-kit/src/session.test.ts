import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AppSession } from './app-session.js';
import { parseWarmFile } from './converse-input.js';
import { createKeyInspector } from './key-inspector.js';
import { connectModel } from './model-client.js';
import { openSession } from './session.js';
import { resolveSettings } from './settings.js';
import {
  clearEntries,
  inspectEntry,
  listEntries,
  pruneEntries,
  readStoreStats,
  resetStoreStats,
} from './store-admin.js';
import { createStoreFromOptions } from './store-from-options.js';
import { warmCache } from './warm.js';

const home = mkdtempSync(join(tmpdir(), 'app-kit-home-'));
const directories: string[] = [home];
const sessions: AppSession[] = [];

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'app-kit-cache-'));
  directories.push(directory);
  return directory;
}

async function open(raw: Parameters<typeof resolveSettings>[0] = {}, extra: { cache?: boolean } = {}) {
  const settings = resolveSettings(
    { cacheType: 'memory', provider: 'simulator', simulatorLatencyMs: 0, ...raw },
    {},
  );
  const unknown: string[] = [];
  const session = await openSession({ settings, ...extra, onUnknownModel: (model) => unknown.push(model) });
  sessions.push(session);
  return { session, unknown };
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
});
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('connectModel', () => {
  it('auto picks the simulator when no credentials are configured, and says why', async () => {
    const connection = await connectModel({
      provider: 'auto',
      environment: {},
      homeDirectory: home,
      simulatorLatencyMs: 0,
    });
    try {
      expect(connection.provider).toBe('simulator');
      expect(connection.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(connection.notice).toMatch(/^provider: simulator \(auto: no AWS credentials/);
    } finally {
      await connection.close();
    }
  });

  it('auto picks Bedrock when credentials are in the environment (nothing is sent)', async () => {
    const connection = await connectModel({
      provider: 'auto',
      environment: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' },
      homeDirectory: home,
      region: 'eu-west-1',
    });
    try {
      expect(connection.provider).toBe('bedrock');
      expect(connection.region).toBe('eu-west-1');
      expect(connection.notice).toMatch(/^provider: bedrock \(auto:/);
    } finally {
      await connection.close();
    }
  });

  it('an explicit provider has no notice', async () => {
    const connection = await connectModel({ provider: 'simulator', simulatorLatencyMs: 0 });
    expect(connection.notice).toBeUndefined();
    await connection.close();
  });
});

describe('openSession: ask', () => {
  it('a repeat is a hit that saved the original cost', async () => {
    const { session } = await open();
    const first = await session.ask('What is a TTL?');
    const second = await session.ask('What is a TTL?');
    expect(first).toMatchObject({
      cached: false,
      status: 'miss',
      stored: true,
      provider: 'simulator',
      model: 'amazon.nova-lite-v1:0',
    });
    expect(first.text).toMatch(/^\[simulated\] /);
    expect(first.costUsd).toBeGreaterThan(0);
    expect(second).toMatchObject({
      cached: true,
      status: 'hit',
      key: first.key,
      text: first.text,
      costUsd: 0,
    });
    expect(second.savedUsd).toBe(first.costUsd);
    expect(first.key).toBe(session.keyFor('What is a TTL?'));
    expect(session.localStats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('refresh skips the read, bypass neither reads nor writes', async () => {
    const { session } = await open();
    await session.ask('Refresh me');
    expect(await session.ask('Refresh me', { mode: 'refresh' })).toMatchObject({
      status: 'miss',
      stored: true,
    });
    const bypassed = await session.ask('Never cached', { mode: 'bypass' });
    expect(bypassed).toMatchObject({ status: 'bypass', cached: false, key: session.keyFor('Never cached') });
    expect(bypassed.costUsd).toBeGreaterThan(0);
    expect(await session.ask('Never cached')).toMatchObject({ status: 'miss' });
  });

  it('cache: false answers every call without the cache', async () => {
    const { session } = await open({}, { cache: false });
    await session.ask('Twice');
    expect(await session.ask('Twice')).toMatchObject({ status: 'bypass', cached: false });
  });

  it('an unknown model works, with cost null and one notice', async () => {
    const { session, unknown } = await open({ model: 'example.unknown-model-v1:0' });
    const result = await session.ask('Hello');
    expect(result.costUsd).toBeNull();
    expect(result.text).toMatch(/^\[simulated\] /);
    expect(unknown).toEqual(['example.unknown-model-v1:0']);
    expect(await session.ask('Hello')).toMatchObject({ cached: true, savedUsd: 0 });
  });

  it('a full Converse input keeps its own model', async () => {
    const { session } = await open();
    const result = await session.ask({
      modelId: 'amazon.nova-micro-v1:0',
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { temperature: 0.2 },
    });
    expect(result.model).toBe('amazon.nova-micro-v1:0');
    expect(session.explain({ modelId: 'amazon.nova-micro-v1:0', messages: [] }).material).toContain(
      'amazon.nova-micro-v1:0',
    );
  });

  it('streams text as it arrives; a hit replays it', async () => {
    const { session } = await open();
    const collect = async () => {
      const stream = session.askStream('Tell me about caches');
      const chunks: string[] = [];
      for await (const chunk of stream.text) chunks.push(chunk);
      return { chunks, result: await stream.result };
    };
    const first = await collect();
    const second = await collect();
    expect(first.chunks.length).toBeGreaterThan(1);
    expect(first.result).toMatchObject({ status: 'miss', stored: true, text: first.chunks.join('') });
    expect(second.result).toMatchObject({ status: 'hit', cached: true, text: first.result.text });
    expect(second.chunks).toEqual(first.chunks);
    expect(first.result.key).toBe(session.keyFor('Tell me about caches', 'ConverseStream'));
  });

  it('an unreachable Redis is skipped: the model still answers, and the error is reported', async () => {
    const { session } = await open({ cacheType: 'redis', redisUrl: 'redis://127.0.0.1:1' });
    const errors: string[] = [];
    session.onCacheError(({ error }) => errors.push((error as Error).message));
    const result = await session.ask('Still answered?');
    expect(result).toMatchObject({ status: 'miss', stored: false });
    expect(result.text).toMatch(/^\[simulated\] /);
    expect(errors.join('\n')).toContain('cannot reach redis://127.0.0.1:1');
  });
});

describe('store administration over a file store', () => {
  it('lists, inspects, prunes and clears; reads persisted stats', async () => {
    const cacheDir = temporaryDirectory();
    const { session } = await open({ cacheType: 'file', cacheDir });
    const kept = await session.ask('Keep me');
    await session.ask('Keep me');
    await session.ask('Short-lived', { ttlSeconds: 1 });
    await session.close();

    // Ten seconds later (a moved clock, not a sleep): the short-lived entry has expired.
    const later = { now: () => Date.now() + 10_000 };
    const store = createStoreFromOptions({ cacheType: 'file', cacheDir, clock: later });
    const listed = await listEntries(store, { prefix: 'prompt-cache:', clock: later });
    expect(listed?.entries.map((entry) => entry.key)).toEqual([kept.key]);
    expect(listed?.entries[0]).toMatchObject({ model: 'amazon.nova-lite-v1:0', provider: 'simulator' });

    const details = await inspectEntry(store, kept.key, later);
    expect(details?.text).toBe(kept.text);
    expect(details?.ttlLeftSeconds).toBeGreaterThan(3500);
    expect(await inspectEntry(store, 'prompt-cache:v1:nothing')).toBeUndefined();

    expect(await pruneEntries(store)).toBe(1);
    const stats = await readStoreStats(store);
    expect(stats.scope).toBe('persisted');
    expect(stats.snapshot).toMatchObject({ hits: 1, misses: 2 });
    expect(stats.size?.entries).toBe(1);

    expect(await clearEntries(store, 'other:')).toBe(0);
    expect(await clearEntries(store, 'prompt-cache:')).toBe(1);
    expect(await resetStoreStats(store)).toBe(true);
    expect((await readStoreStats(store)).snapshot.hits).toBe(0);
  });

  it('a corrupt entry file reads as a miss, not a crash', async () => {
    const cacheDir = temporaryDirectory();
    const first = await open({ cacheType: 'file', cacheDir });
    const answer = await first.session.ask('Corrupt me');
    await first.session.close();
    const shard = readdirSync(join(cacheDir, 'entries'))[0]!;
    const file = readdirSync(join(cacheDir, 'entries', shard)).find((name) => name.endsWith('.entry'))!;
    writeFileSync(join(cacheDir, 'entries', shard, file), 'garbage');

    const { session } = await open({ cacheType: 'file', cacheDir });
    const errors: string[] = [];
    session.onCacheError(({ error }) => errors.push((error as { code?: string }).code ?? ''));
    const again = await session.ask('Corrupt me');
    expect(again).toMatchObject({ status: 'miss', key: answer.key, stored: true });
    expect(errors).toContain('CORRUPT_ENTRY');
  });
});

describe('warmCache', () => {
  it('warms new prompts, skips cached ones and reports failed lines', async () => {
    const { session } = await open();
    await session.ask('Already here');
    const lines = parseWarmFile(
      ['"Already here"', '{"prompt":"New one"}', '{oops', 'Another new one'].join('\n'),
      'amazon.nova-lite-v1:0',
    );
    const seen: number[] = [];
    const summary = await warmCache(session, lines, {
      concurrency: 2,
      onResult: (_result, done) => seen.push(done),
    });
    expect(summary).toMatchObject({ total: 4, warmed: 2, cached: 1 });
    expect(summary.failed).toEqual([expect.objectContaining({ line: 3, outcome: 'failed' })]);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(summary.spentUsd).toBeGreaterThan(0);
    expect(await session.ask('New one')).toMatchObject({ cached: true });
  });
});

describe('createKeyInspector', () => {
  it('derives the keys a session derives, without a connection', async () => {
    const { session } = await open();
    const inspector = createKeyInspector({
      namespace: 'prompt-cache',
      model: 'amazon.nova-lite-v1:0',
      provider: 'simulator',
    });
    expect(inspector.keyFor('Same key?')).toBe(session.keyFor('Same key?'));
    expect(inspector.keyFor('Same key?', 'ConverseStream')).toBe(
      session.keyFor('Same key?', 'ConverseStream'),
    );
    expect(inspector.explain('Same key?').material).toContain('"text":"Same key?"');
    // Who answers is part of the key: a simulated answer is never served to a Bedrock caller.
    const onBedrock = createKeyInspector({
      namespace: 'prompt-cache',
      model: 'amazon.nova-lite-v1:0',
      provider: 'bedrock',
    });
    expect(onBedrock.keyFor('Same key?')).not.toBe(session.keyFor('Same key?'));
  });
});

describe('semantic matching', () => {
  const question = 'How do I configure the retention period of logs in the Milvus server?';
  const paraphrase = 'How can I configure the log retention period of a Milvus server?';

  async function openFileSession(cacheDir: string, persistSemanticIndex?: boolean): Promise<AppSession> {
    const settings = resolveSettings(
      { cacheType: 'file', cacheDir, provider: 'simulator', simulatorLatencyMs: 0, semantic: true },
      {},
    );
    const session = await openSession({
      settings,
      ...(persistSemanticIndex === undefined ? {} : { persistSemanticIndex }),
    });
    sessions.push(session);
    return session;
  }

  it('keeps the index beside a file store: the next session serves a paraphrase, with what matched', async () => {
    const cacheDir = temporaryDirectory();
    const first = await openFileSession(cacheDir);
    const miss = await first.ask(question);
    expect(miss).toMatchObject({ cache: 'miss', similarity: null, matchedPrompt: null, matchedKey: null });
    await first.close();

    const next = await openFileSession(cacheDir);
    const hit = await next.ask(paraphrase);
    expect(hit).toMatchObject({
      cached: true,
      status: 'hit',
      cache: 'semantic-hit',
      matchedPrompt: question,
      matchedKey: miss.key,
      text: miss.text,
    });
    expect(hit.key).not.toBe(miss.key);
    expect(hit.similarity).toBeGreaterThan(0.5);
    expect(next.localStats()).toMatchObject({ hits: 1, semanticHits: 1 });
  }, 60_000);

  it('with persistSemanticIndex: false, the index stays in memory: the next session misses', async () => {
    const cacheDir = temporaryDirectory();
    const first = await openFileSession(cacheDir, false);
    await first.ask(question);
    await first.close();
    expect(readdirSync(cacheDir).some((name) => name.startsWith('semantic-index'))).toBe(false);
    const next = await openFileSession(cacheDir, false);
    expect((await next.ask(paraphrase)).cache).toBe('miss');
  }, 60_000);
});
