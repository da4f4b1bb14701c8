import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary: the tests run what users run (turbo builds it before `test`). */
export const BINARY = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Variables added to the clean environment. */
  env?: Record<string, string | undefined>;
  /** Text written to standard input (which is a pipe, never a terminal). */
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** A temporary HOME, so no real ~/.aws or ~/.cache is read; removed by {@link cleanUp}. */
const homes: string[] = [];
export function temporaryDirectory(prefix = 'prompt-cache-cli-'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  homes.push(directory);
  return directory;
}

export function cleanUp(): void {
  for (const directory of homes.splice(0)) rmSync(directory, { recursive: true, force: true });
}

/**
 * The environment of every run: built from nothing (no AWS_* variables, no NODE_OPTIONS), a HOME of its own,
 * no colour, a simulator that answers at once, and room for Redis to answer on a loaded CI machine.
 */
export function cleanEnvironment(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    PROMPT_CACHE_SIMULATOR_LATENCY_MS: '0',
    PROMPT_CACHE_REDIS_TIMEOUT_MS: '5000',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Starts the binary; resolves with its exit code and output. */
export function startCli(
  args: string[],
  options: RunOptions = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  const home = options.env?.HOME ?? temporaryDirectory();
  const env: Record<string, string> = { ...cleanEnvironment(home) };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const child = spawn(process.execPath, [BINARY, ...args], {
    env,
    cwd: options.cwd ?? home,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin!.end(options.input ?? '');
  const done = new Promise<CliRun>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `prompt-cache ${args.join(' ')} did not finish in ${options.timeoutMs ?? 30_000} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
  return { child, done };
}

/** Runs the binary to completion. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

/** Lines of standard error, without blank ones. */
export function errorLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => line.trim() !== '');
}
