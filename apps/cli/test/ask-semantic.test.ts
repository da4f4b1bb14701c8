import type { AskResult } from '@prompt-cache/app-kit';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanUp, errorLines, runCli, temporaryDirectory } from './run-cli.js';

afterAll(cleanUp);

const QUESTION = 'How do I configure the retention period of logs in the Milvus server?';
const PARAPHRASE = 'How can I configure the log retention period of a Milvus server?';

/** Runs `ask` with the real default embedder (each process loads it: room for a loaded machine). */
function ask(prompt: string, store: string[], extra: string[] = [], env: Record<string, string> = {}) {
  return runCli(['ask', prompt, ...store, '--provider', 'simulator', ...extra], { env, timeoutMs: 60_000 });
}

async function askJson(prompt: string, store: string[], extra: string[] = []): Promise<AskResult> {
  const run = await ask(prompt, store, ['--json', ...extra]);
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1); // exactly one JSON object
  return JSON.parse(lines[0]!);
}

/**
 * One process stores an answer; the next, with --semantic, is served it for a paraphrase (the index is kept with
 * the store), says so in --json and on its status line, and never serves it for a negated question.
 */
async function servesTheNextProcess(store: string[]): Promise<void> {
  const miss = await askJson(QUESTION, store, ['--semantic']);
  expect(miss).toMatchObject({ cache: 'miss', similarity: null, matchedPrompt: null, stored: true });

  const semantic = await askJson(PARAPHRASE, store, ['--semantic']);
  expect(semantic).toMatchObject({
    cached: true,
    cache: 'semantic-hit',
    matchedPrompt: QUESTION,
    text: miss.text,
  });
  expect(semantic.key).not.toBe(miss.key);
  expect(semantic.similarity).toBeGreaterThan(0.5);
  expect(semantic.similarity).toBeLessThan(1);

  const viaVariable = await ask(PARAPHRASE, store, [], { PROMPT_CACHE_SEMANTIC: 'on' });
  expect(errorLines(viaVariable).at(-1)).toMatch(
    /^SEMANTIC HIT · .* · similarity 0\.\d\d to "How do I configure the retention period of logs in the Milvus server\?"/,
  );
  const negated = await askJson(
    'How do I disable the retention period of logs in the Milvus server?',
    store,
    ['--semantic'],
  );
  expect(negated.cache).toBe('miss');
}

describe('prompt-cache ask --semantic', () => {
  it('a paraphrase asked by the next process is a semantic hit (file cache)', { timeout: 120_000 }, () =>
    servesTheNextProcess(['--cache-dir', temporaryDirectory()]),
  );

  it('without --semantic, the same paraphrase is a miss', { timeout: 120_000 }, async () => {
    const store = ['--cache-dir', temporaryDirectory()];
    await askJson(QUESTION, store, ['--semantic']);
    expect(await askJson(PARAPHRASE, store)).toMatchObject({ cache: 'miss', similarity: null });
  });

  it('a bad PROMPT_CACHE_SEMANTIC is a usage error that names the variable', async () => {
    const run = await runCli(['ask', 'Hello', '--cache-type', 'memory'], {
      env: { PROMPT_CACHE_SEMANTIC: 'sometimes' },
    });
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/PROMPT_CACHE_SEMANTIC must be on or off; got "sometimes"/),
    ]);
  });
});

describeWithRedis('prompt-cache ask --semantic with a Redis cache', () => {
  let server: RedisServerHandle;
  beforeEach(async () => {
    server = await startRedisServer();
  });
  afterEach(() => server?.stop());

  it(
    'a paraphrase asked by the next process is a semantic hit (the index lives in Redis)',
    { timeout: 120_000 },
    () => servesTheNextProcess(['--cache-type', 'redis', '--redis-url', server.url]),
  );
});
