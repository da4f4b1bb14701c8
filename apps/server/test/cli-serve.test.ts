import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirementMet } from '@prompt-cache/test-redis';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));
const built = requirementMet(existsSync(CLI), {
  missing: `the built CLI (${CLI})`,
  tests: 'the CLI serve tests',
  install: 'pnpm --filter @prompt-cache/cli build',
});

/** The environment of the CLI: no variables of ours from outside, never a network credential lookup. */
function cliEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('PROMPT_CACHE_') && !name.startsWith('AWS_')) environment[name] = value;
  }
  return {
    ...environment,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
  };
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: cliEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

const running: Running[] = [];

afterAll(() => {
  for (const process of running) if (process.child.exitCode === null) process.child.kill('SIGKILL');
});

/** Starts `prompt-cache serve` on a free port with the simulator answering at once; resolves with its URL. */
async function serve(...extra: string[]): Promise<{ process: Running; url: string }> {
  const started = run([
    'serve',
    '--port',
    '0',
    '--upstream',
    'simulator',
    '--simulator-latency',
    '0',
    '--cache-type',
    'memory',
    ...extra,
  ]);
  running.push(started);
  let url: string | undefined;
  await expect
    .poll(
      () => {
        // The banner is complete once it says how to stop.
        url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(started.stdout())?.[1];
        return started.stdout().includes('Press Ctrl+C to stop.') || started.child.exitCode !== null;
      },
      { timeout: 20_000, interval: 50 },
    )
    .toBe(true);
  expect(url, `stdout: ${started.stdout()}\nstderr: ${started.stderr()}`).toBeDefined();
  return { process: started, url: url! };
}

describe.skipIf(!built)('prompt-cache serve, as a process', () => {
  it('prints its URL, answers /healthz and /v1/ask, and stops cleanly on SIGTERM', async () => {
    const { process: gateway, url } = await serve();
    expect(gateway.stdout()).toContain('no API keys configured: listening on loopback only');

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', upstream: 'simulator' });
    const ask = () =>
      fetch(`${url}/v1/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'What is a TTL? (cli serve)' }),
      });
    expect((await ask()).headers.get('x-prompt-cache')).toBe('miss');
    expect((await ask()).headers.get('x-prompt-cache')).toBe('hit');

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(gateway.stdout()).toContain('Gateway stopped (SIGTERM).');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('refuses a non-loopback host without keys, with a one-line error and exit code 2', async () => {
    const serve = run(['serve', '--port', '0', '--host', '0.0.0.0', '--upstream', 'simulator']);
    running.push(serve);
    expect(await serve.exited).toBe(2);
    const lines = serve.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/refusing to listen on 0\.0\.0\.0 without API keys/);
  });

  it('--semantic answers a paraphrase as semantic-hit, with the default offline embedder', async () => {
    const { process: gateway, url } = await serve('--semantic');
    expect(gateway.stdout()).toContain('semantic matching: on');
    const question = 'How do I configure the retention period of logs in the Milvus server?';
    const converse = (prompt: string) =>
      fetch(`${url}/model/${encodeURIComponent('amazon.nova-lite-v1:0')}/converse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: prompt }] }] }),
      });
    const first = await converse(question);
    expect(first.headers.get('x-prompt-cache')).toBe('miss');
    // The answer is indexed in the background (the first embedding loads the model).
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${url}/v1/stats`)).json()) as { semanticIndexed: number }).semanticIndexed,
        {
          timeout: 30_000,
          interval: 100,
        },
      )
      .toBe(1);
    const paraphrased = await converse('How can I configure the log retention period of a Milvus server?');
    expect(paraphrased.headers.get('x-prompt-cache')).toBe('semantic-hit');
    expect(Number(paraphrased.headers.get('x-prompt-cache-similarity'))).toBeGreaterThan(0.5);
    expect(paraphrased.headers.get('x-prompt-cache-matched-key')).toBe(
      first.headers.get('x-prompt-cache-key'),
    );
    expect(await paraphrased.json()).toEqual(await first.json());
    const negated = await converse('How do I disable the retention period of logs in the Milvus server?');
    expect(negated.headers.get('x-prompt-cache')).toBe('miss');

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }, 60_000);

  it('--semantic with the file store: a restarted gateway serves the paraphrase, to its tenant only', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cli-serve-semantic-'));
    try {
      const keysFile = join(directory, 'keys.txt');
      writeFileSync(keysFile, 'key-a-0123456789=tenant-a\nkey-b-0123456789=tenant-b\n', { mode: 0o600 });
      const options = ['--semantic', '--cache-type', 'file', '--cache-dir', join(directory, 'cache')];
      const converse = (url: string, key: string, prompt: string) =>
        fetch(`${url}/model/${encodeURIComponent('amazon.nova-lite-v1:0')}/converse`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: prompt }] }] }),
        });
      const first = await serve(...options, '--api-keys-file', keysFile);
      const stored = await converse(
        first.url,
        'key-a-0123456789',
        'How do I configure the retention period of logs in the Milvus server?',
      );
      expect(stored.headers.get('x-prompt-cache')).toBe('miss');
      await expect
        .poll(
          async () => {
            const stats = await fetch(`${first.url}/v1/stats`, {
              headers: { authorization: 'Bearer key-a-0123456789' },
            });
            return ((await stats.json()) as { semanticIndexed: number }).semanticIndexed;
          },
          { timeout: 30_000, interval: 100 },
        )
        .toBe(1);
      first.process.child.kill('SIGTERM'); // saves the index on the way out
      expect(await first.process.exited).toBe(0);

      const second = await serve(...options, '--api-keys-file', keysFile);
      const paraphrase = 'How can I configure the log retention period of a Milvus server?';
      const served = await converse(second.url, 'key-a-0123456789', paraphrase);
      expect(served.headers.get('x-prompt-cache')).toBe('semantic-hit');
      expect(served.headers.get('x-prompt-cache-matched-key')).toBe(stored.headers.get('x-prompt-cache-key'));
      expect(await served.json()).toEqual(await stored.json());
      const other = await converse(second.url, 'key-b-0123456789', paraphrase);
      expect(other.headers.get('x-prompt-cache')).toBe('miss');
      second.process.child.kill('SIGTERM');
      expect(await second.process.exited).toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 90_000);
});
