import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

describe.skipIf(!built)('prompt-cache serve, as a process', () => {
  it('prints its URL, answers /healthz and /v1/ask, and stops cleanly on SIGTERM', async () => {
    const serve = run([
      'serve',
      '--port',
      '0',
      '--upstream',
      'simulator',
      '--simulator-latency',
      '0',
      '--cache-type',
      'memory',
    ]);
    running.push(serve);
    let url: string | undefined;
    await expect
      .poll(
        () => {
          // The banner is complete once it says how to stop.
          url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout())?.[1];
          return serve.stdout().includes('Press Ctrl+C to stop.') || serve.child.exitCode !== null;
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe(true);
    expect(url, `stdout: ${serve.stdout()}\nstderr: ${serve.stderr()}`).toBeDefined();
    expect(serve.stdout()).toContain('no API keys configured: listening on loopback only');

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

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.stdout()).toContain('Gateway stopped (SIGTERM).');
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
});
