import { spawn } from 'node:child_process';

/** A server running in a process of its own. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>`, as the server printed it. */
  url: string;
  pid: number;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** The last 2,000 characters it wrote to stderr. */
  stderrTail(): string;
}

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts `node <args>` and waits until it prints `listening on http://127.0.0.1:<port>`. Rejects, with the end of
 * what it wrote to stderr, when it exits first or is not listening within `timeoutMs`.
 */
export function startServerProcess(
  name: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      settle();
      void stop();
      reject(
        new Error(`[bench] the ${name} ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`),
      );
    };
    const timer = setTimeout(() => fail('did not start listening in time'), options.timeoutMs ?? 30_000);
    const check = () => {
      const url = LISTENING.exec(stdout)?.[1];
      if (!url) return;
      settle();
      resolve({ url, pid: child.pid!, stop, stderrTail: () => stderr });
    };
    const onExit = (code: number | null) => fail(`exited before listening (code ${code})`);
    const settle = () => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout.on('data', check);
    child.once('exit', onExit);
  });
}
