import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '@prompt-cache/test-redis';
import { afterAll, describe, expect, it } from 'vitest';
import { BINARY, cleanEnvironment, cleanUp, errorLines, runCli, temporaryDirectory } from './run-cli.js';

afterAll(cleanUp);

interface AskJson {
  cached: boolean;
  cache: string;
  similarity: number | null;
  matchedPrompt: string | null;
  key: string;
  text: string;
  model: string;
  provider: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  costUsd: number | null;
  savedUsd: number;
  latencyMs: number;
}

function parseJson(stdout: string): AskJson {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1); // exactly one JSON object
  return JSON.parse(lines[0]!);
}

describe('prompt-cache ask', () => {
  it('a second run with the same prompt in the same file cache reports cached: true', async () => {
    const cacheDir = temporaryDirectory();
    const args = [
      'ask',
      'What is machine learning?',
      '--cache-type',
      'file',
      '--cache-dir',
      cacheDir,
      '--json',
    ];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    const miss = parseJson(first.stdout);
    expect(miss).toMatchObject({
      cached: false,
      cache: 'miss',
      similarity: null,
      matchedPrompt: null,
      provider: 'simulator',
      model: 'amazon.nova-lite-v1:0',
      savedUsd: 0,
    });
    expect(Object.keys(miss).sort()).toEqual(
      [
        'cached',
        'cache',
        'similarity',
        'matchedPrompt',
        'costUsd',
        'key',
        'latencyMs',
        'model',
        'provider',
        'savedUsd',
        'stored',
        'text',
        'usage',
      ].sort(),
    );
    expect(miss.key).toMatch(/^prompt-cache:v1:[0-9a-f]{64}$/);
    expect(miss.text).toMatch(/^\[simulated\] /);
    expect(miss.costUsd).toBeGreaterThan(0);
    expect(miss.usage.outputTokens).toBeGreaterThan(0);
    // auto chose the simulator and said so, on one line of stderr
    expect(errorLines(first)).toEqual([
      expect.stringMatching(/^prompt-cache: provider: simulator \(auto: no AWS credentials/),
    ]);

    const second = await runCli(args);
    const hit = parseJson(second.stdout);
    expect(hit).toMatchObject({
      cached: true,
      cache: 'hit',
      similarity: null,
      key: miss.key,
      text: miss.text,
      costUsd: 0,
      savedUsd: miss.costUsd,
    });
  });

  it('prints the answer on stdout and a status line on stderr', async () => {
    const cacheDir = temporaryDirectory();
    const args = ['ask', 'What', 'is', 'a', 'TTL?', '--cache-dir', cacheDir, '--provider', 'simulator'];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\[simulated\] .+\n$/);
    expect(errorLines(first)).toEqual([
      expect.stringMatching(/^MISS · .* tokens · cost \$0\.\d+ · simulated · key prompt-cache:v1:/),
    ]);
    const second = await runCli(args);
    expect(second.stdout).toBe(first.stdout);
    expect(errorLines(second)).toEqual([
      expect.stringMatching(
        /^HIT · .* · saved .* and \$0\.\d+ · .* faster · simulated answer from the cache/,
      ),
    ]);
  });

  it(
    '--no-cache neither reads nor writes; --refresh calls the model and stores again',
    { timeout: 60_000 },
    async () => {
      const cacheDir = temporaryDirectory();
      const base = ['ask', 'Refresh?', '--cache-dir', cacheDir, '--provider', 'simulator', '--json'];
      await runCli(base);
      expect(parseJson((await runCli([...base, '--no-cache'])).stdout)).toMatchObject({
        cached: false,
        stored: false,
        notStoredReason: 'bypass',
        notStoredDetail: expect.stringContaining('bypass'),
      });
      expect(parseJson((await runCli([...base, '--refresh'])).stdout)).toMatchObject({
        cached: false,
        stored: true,
      });
      expect(parseJson((await runCli(base)).stdout).cached).toBe(true);
      const never = [
        'ask',
        'Never stored',
        '--cache-dir',
        cacheDir,
        '--provider',
        'simulator',
        '--json',
        '--no-cache',
      ];
      await runCli(never);
      expect(parseJson((await runCli(never.slice(0, -1))).stdout).cached).toBe(false);
    },
  );

  it('--stream prints the tokens; a hit replays them', async () => {
    const cacheDir = temporaryDirectory();
    const args = ['ask', 'Tell me a story', '--stream', '--cache-dir', cacheDir, '--provider', 'simulator'];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\[simulated\] /);
    expect(first.stderr).toMatch(/^MISS/m);
    const second = await runCli(args);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(/^HIT/m);
    const json = await runCli([...args, '--json']);
    expect(parseJson(json.stdout)).toMatchObject({ cached: true, text: first.stdout.trimEnd() });
  });

  it('--request reads a full Converse input', async () => {
    const directory = temporaryDirectory();
    const request = join(directory, 'request.json');
    writeFileSync(
      request,
      JSON.stringify({
        modelId: 'amazon.nova-micro-v1:0',
        messages: [{ role: 'user', content: [{ text: 'Hello from a file' }] }],
        inferenceConfig: { temperature: 0.5 },
      }),
    );
    const args = ['ask', '--request', request, '--cache-dir', directory, '--provider', 'simulator', '--json'];
    const first = parseJson((await runCli(args)).stdout);
    expect(first).toMatchObject({ cached: false, model: 'amazon.nova-micro-v1:0' });
    expect(parseJson((await runCli(args)).stdout)).toMatchObject({ cached: true, key: first.key });
  });

  it.each([
    [
      'a malformed request file',
      '{"messages": [',
      /^prompt-cache: request file .*request\.json is not valid JSON \(.+\); it must hold one Converse input object$/,
    ],
    ['a request without messages', '{"modelId":"x"}', /has no "messages" array/],
  ])('%s is one line and exit code 2', async (_name, text, message) => {
    const directory = temporaryDirectory();
    const request = join(directory, 'request.json');
    writeFileSync(request, text);
    const run = await runCli(['ask', '--request', request, '--cache-dir', directory]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toMatch(message);
  });

  it('refuses a request file over 1 MiB', async () => {
    const directory = temporaryDirectory();
    const request = join(directory, 'request.json');
    writeFileSync(
      request,
      JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'x'.repeat(1_100_000) }] }] }),
    );
    const run = await runCli(['ask', '--request', request, '--cache-dir', directory]);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual([expect.stringMatching(/more than the 1048576-byte limit; trim it$/)]);
  });

  it.each([
    [['--ttl', '-5'], 'prompt-cache: --ttl must be a number of seconds >= 0 (0 means no expiry); got "-5"'],
    [['--ttl', 'abc'], 'prompt-cache: --ttl must be a number of seconds >= 0 (0 means no expiry); got "abc"'],
    [
      ['--cache-type', 'disk'],
      'prompt-cache: unknown cache type "disk" (--cache-type); use one of: memory, file, redis',
    ],
    [
      ['--provider', 'openai'],
      'prompt-cache: unknown provider "openai" (--provider); use one of: auto, bedrock, simulator',
    ],
    [
      ['--no-cache', '--refresh'],
      'prompt-cache: --refresh writes the cache and --no-cache does not touch it; choose one',
    ],
  ])('%j is a usage error: one line, exit code 2', async (flags, line) => {
    const run = await runCli(['ask', 'hello', ...flags]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(errorLines(run)).toEqual([line]);
  });

  it('a bad TTL from the environment names the variable', async () => {
    const run = await runCli(['ask', 'hello'], { env: { PROMPT_CACHE_TTL: 'soon' } });
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual([
      expect.stringContaining('PROMPT_CACHE_TTL must be a number of seconds'),
    ]);
  });

  it('no prompt is a usage error', async () => {
    const run = await runCli(['ask']);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual([expect.stringContaining('nothing to ask')]);
  });

  it('warns of an unknown price on stderr after the streamed text, never inside it', async () => {
    const home = temporaryDirectory();
    // Both streams into one pipe, as a terminal shows them: the order of the writes is kept.
    const args = ['ask', 'tell me a story', '--stream', '--model', 'example.unknown-v1:0'];
    const child = spawn(
      '/bin/sh',
      ['-c', 'exec "$0" "$@" 2>&1', process.execPath, BINARY, ...args, '--provider', 'simulator'],
      { env: { ...cleanEnvironment(home), PROMPT_CACHE_DIR: home }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const lines = output.split('\n');
    const text = lines.findIndex((line) => line.startsWith('[simulated]'));
    const warning = lines.findIndex((line) => line.includes('no price is known'));
    expect(text).toBeGreaterThanOrEqual(0);
    expect(warning).toBeGreaterThan(text);
    expect(lines[text]).not.toContain('prompt-cache:');
  });

  it('a credentials error is one line, not blamed on the cache', async () => {
    const run = await runCli(['ask', 'hello', '--provider', 'bedrock', '--cache-dir', temporaryDirectory()]);
    expect(run.code).toBe(1);
    const lines = errorLines(run).filter((line) => !line.startsWith('prompt-cache: provider:'));
    expect(lines).toEqual([expect.stringContaining('configure AWS credentials')]);
    expect(lines[0]).not.toMatch(/cache skipped|the cache/);
  });

  it('an unknown model works; its cost is unknown (null in JSON)', async () => {
    const directory = temporaryDirectory();
    const run = await runCli([
      'ask',
      'hello',
      '--model',
      'example.unknown-v1:0',
      '--cache-dir',
      directory,
      '--provider',
      'simulator',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(parseJson(run.stdout)).toMatchObject({
      model: 'example.unknown-v1:0',
      costUsd: null,
      cached: false,
    });
    expect(errorLines(run)).toEqual([
      'prompt-cache: no price is known for model "example.unknown-v1:0", so its cost is shown as unknown (the call works)',
    ]);
    const text = await runCli([
      'ask',
      'hello again',
      '--model',
      'example.unknown-v1:0',
      '--cache-dir',
      directory,
      '--provider',
      'simulator',
    ]);
    expect(text.stderr).toContain('cost unknown');
  });

  it('an unreachable Redis is named; the model still answers (exit 0)', async () => {
    const port = await findFreePort();
    const run = await runCli([
      'ask',
      'hello',
      '--cache-type',
      'redis',
      '--redis-url',
      `redis://127.0.0.1:${port}`,
      '--provider',
      'simulator',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(parseJson(run.stdout)).toMatchObject({ cached: false });
    expect(errorLines(run)).toEqual([
      `prompt-cache: cache skipped, the model answers without it: [store-redis] cannot reach redis://127.0.0.1:${port} (ECONNREFUSED); is redis-server running?`,
    ]);
  });

  it('a corrupt cache file is a miss, not a crash', async () => {
    const cacheDir = temporaryDirectory();
    const args = ['ask', 'Corrupt me', '--cache-dir', cacheDir, '--provider', 'simulator', '--json'];
    const first = parseJson((await runCli(args)).stdout);
    const shard = readdirSync(join(cacheDir, 'entries'))[0]!;
    const file = readdirSync(join(cacheDir, 'entries', shard)).find((name) => name.endsWith('.entry'))!;
    writeFileSync(join(cacheDir, 'entries', shard, file), 'not an entry at all');
    const run = await runCli(args);
    expect(run.code).toBe(0);
    expect(parseJson(run.stdout)).toMatchObject({ cached: false, key: first.key });
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^prompt-cache: unreadable cache entry: .* \(a miss, not a failure\)$/),
    ]);
    expect(parseJson((await runCli(args)).stdout).cached).toBe(true);
  });
});
