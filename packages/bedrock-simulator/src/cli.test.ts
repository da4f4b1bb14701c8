import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const children: ChildProcess[] = [];

/** Runs src/cli.ts with tsx (loaded in-process, so signals reach the CLI itself). */
function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageDirectory, 'src/cli.ts'), ...args], {
    cwd: packageDirectory,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('bedrock-simulator bin', () => {
  afterAll(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('prints its URL and that answers are simulated, serves requests, and exits on SIGTERM', async () => {
    const run = runCli(['--port', '0', '--latency-first-token-ms', '0', '--latency-per-token-ms', '0']);
    await waitFor(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(run.output().stdout), 'the URL');
    const { stdout } = run.output();
    expect(stdout).toMatch(/SIMULATED/);
    const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1] as string;
    const health = await fetch(`${url}/_simulator/health`);
    expect(await health.json()).toMatchObject({ simulated: true });
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.output().stdout).toContain('stopped (SIGTERM)');
  });

  it('prints a one-line error and exits non-zero on a bad flag', async () => {
    const unknown = runCli(['--nope']);
    expect((await unknown.exited).code).toBe(2);
    const { stderr } = unknown.output();
    expect(stderr).toMatch(/^bedrock-simulator: Unknown option '--nope'/);
    expect(stderr).not.toMatch(/\n\s+at /);

    const badPort = runCli(['--port', 'eighty']);
    expect((await badPort.exited).code).toBe(2);
    expect(badPort.output().stderr).toMatch(
      /--port must be a whole number between 0 and 65535, got "eighty"/,
    );
  });
});
