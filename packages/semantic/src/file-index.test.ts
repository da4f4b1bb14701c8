import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPromptCache } from '@prompt-cache/core';
import { createFakeClock } from '@prompt-cache/core/testing';
import { createFileStore } from '@prompt-cache/store-file';
import { afterEach, describe, expect, it } from 'vitest';
import { openNamespacedIndexes } from '../test/namespaced-indexes.js';
import { fileIndex } from './file-index.js';
import { createSemanticStage } from './semantic-stage.js';
import { createWordHashEmbedder } from './test-embedder.js';

interface Ask {
  model: string;
  prompt: string;
}

const model = 'model-a';
const original = { model, prompt: 'How do I configure the retention of logs in the Milvus server?' };
const paraphrase = { model, prompt: 'How do I configure logs retention in a Milvus server?' };
const directories: string[] = [];
const clock = createFakeClock(1_000_000);

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'semantic-index-'));
  directories.push(directory);
  return directory;
}

/** A process's cache: a file store in `directory` and a semantic stage that keeps its index beside it. */
function open(directory: string, namespace?: string) {
  const errors: string[] = [];
  const store = createFileStore({ directory, clock, persistStats: false });
  const stage = createSemanticStage<Ask>({
    split: (request) => ({ scope: { model: request.model }, text: request.prompt }),
    embedder: createWordHashEmbedder(),
    persist: namespace === undefined ? store : fileIndex(store, { namespace }),
    onError: (error) => errors.push(error.message),
  });
  const cache = createPromptCache<Ask, string>({ store, clock, semantic: stage });
  const ask = (request: Ask, call = {}) =>
    cache.getOrCompute(request, async () => `answer to ${request.prompt}`, call);
  return { store, stage, cache, ask, errors };
}

const indexFile = (directory: string) => join(directory, 'semantic-index.word-hash-64.jsonl');

describe('fileIndex: the index beside a file store', () => {
  it('serves a paraphrase after a restart, from a 0600 file written without leftovers', async () => {
    const directory = temporaryDirectory();
    const first = open(directory);
    const written = await first.ask(original);
    await first.stage.close();
    expect(statSync(indexFile(directory)).mode & 0o777).toBe(0o600);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const second = open(directory);
    await second.stage.ready;
    expect(second.stage.index.size()).toBe(1);
    const result = await second.ask(paraphrase);
    expect(result).toMatchObject({ status: 'hit', value: written.value });
    expect(result.semantic?.matchedKey).toBe(written.key);
    expect(second.errors).toEqual([]);
  });

  it('never serves a deleted entry through a reloaded index, and the drop is saved', async () => {
    const directory = temporaryDirectory();
    const first = open(directory);
    const written = await first.ask(original);
    await first.stage.close();
    await first.cache.invalidate(written.key);

    const second = open(directory);
    // The stage's own lookup, so that nothing new is stored: only the drop changes the index.
    const read = async (key: string) => second.store.get(key);
    expect(await second.stage.lookup(paraphrase, second.cache.keyFor(paraphrase), read)).toBeUndefined();
    expect(second.stage.counters.dropped).toBe(1);
    await second.stage.close();

    const third = open(directory);
    await third.stage.ready;
    expect(third.stage.index.size()).toBe(0);
  });

  it('never serves an expired entry through a reloaded index', async () => {
    const directory = temporaryDirectory();
    const first = open(directory);
    await first.ask(original, { ttlSeconds: 10 });
    await first.stage.close();
    clock.advance(11_000);
    const second = open(directory);
    expect((await second.ask(paraphrase)).status).toBe('miss');
    expect(second.stage.counters.dropped).toBe(1);
  });

  it.each([
    ['garbage', () => 'not an index at all\n'],
    ['truncated', (saved: string) => saved.slice(0, saved.length - 40)],
    ['of another version', (saved: string) => saved.replace('"version":1', '"version":99')],
  ])('rebuilds a %s index file, reported in one line, never an error for the caller', async (_, damage) => {
    const directory = temporaryDirectory();
    const first = open(directory);
    await first.ask(original);
    await first.ask({ model, prompt: 'Which port does the Milvus proxy listen on?' });
    await first.stage.close();
    writeFileSync(indexFile(directory), damage(readFileSync(indexFile(directory), 'utf8')));

    const second = open(directory);
    const result = await second.ask(paraphrase);
    expect(result.status).toBe('miss');
    expect(second.cache.stats.snapshot().errors).toBe(0);
    expect(second.errors).toHaveLength(1);
    expect(second.errors[0]).toMatch(/^\[semantic\] the index file .* is unreadable \(.+\); rebuilding it/);
    expect(second.errors[0]).not.toContain('\n');
    await second.stage.close();
    expect(second.stage.index.size()).toBe(1); // the paraphrase just answered, nothing from the damaged file

    const third = open(directory);
    await third.stage.ready;
    expect(third.errors).toEqual([]);
    expect(third.stage.index.size()).toBe(1);
  });

  it('merges what two processes sharing the directory save', async () => {
    const directory = temporaryDirectory();
    const one = open(directory);
    const two = open(directory);
    await Promise.all([one.stage.ready, two.stage.ready]);
    await one.ask(original);
    await one.stage.flush();
    await two.ask({ model, prompt: 'Which port does the Milvus proxy listen on?' });
    await two.stage.flush();

    const third = open(directory);
    await third.stage.ready;
    expect(third.stage.index.size()).toBe(2);
  });

  it("keeps a namespace's index in a file of its own: another namespace's process loads none of its prompts", async () => {
    const directory = temporaryDirectory();
    const writer = open(directory, 'tenant-a');
    await writer.ask(original);
    await writer.stage.close();
    expect(readdirSync(directory).filter((name) => name.startsWith('semantic-index'))).toEqual([
      'semantic-index.word-hash-64.tenant-a.jsonl',
    ]);

    const { again, sizes } = await openNamespacedIndexes((namespace) => open(directory, namespace));
    expect(sizes).toEqual([1, 0, 0]);
    expect((await again.ask(paraphrase)).status).toBe('hit');
  });

  it('refuses a persist option it cannot use, with what to pass instead', () => {
    expect(() => fileIndex('')).toThrow(/fileIndex\(store.directory\)/);
    expect(() => fileIndex('somewhere', { namespace: '../up' })).toThrow(/namespace "..\/up" is invalid/);
    expect(() =>
      createSemanticStage<Ask>({
        split: () => undefined,
        embedder: createWordHashEmbedder(),
        persist: { name: 'memory' } as never,
      }),
    ).toThrow(/persist must be a file or Redis store.*got a "memory" store/);
  });
});
