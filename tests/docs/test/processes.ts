import { type ChildProcess, spawn } from 'node:child_process';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** A child process in a process group of its own, so that Ctrl+C can reach all of it and nothing outlives it. */
export interface Started {
  child: ChildProcess;
  output(): string;
  finished: Promise<Finished>;
  /** Resolves once the output contains `text`; rejects if the process ends first. */
  printed(text: string): Promise<void>;
}

export function start(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Started {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      for (const listener of listeners) listener();
    });
  }
  const finished = new Promise<Finished>((resolveFinished, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolveFinished({ code, signal, output }));
  });
  const printed = (text: string) =>
    new Promise<void>((resolvePrinted, reject) => {
      const check = () => {
        if (output.includes(text)) resolvePrinted();
      };
      listeners.add(check);
      check();
      finished.then((end) =>
        reject(new Error(`ended (${end.code ?? end.signal}) before printing "${text}":\n${end.output}`)),
      );
    });
  return { child, output: () => output, finished, printed };
}

/** Runs a command to its end; after `timeoutMs` its whole process group is killed and the run fails. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Finished> {
  const started = start(command, args, options);
  const timer = setTimeout(() => killGroup(started.child), options.timeoutMs);
  const end = await started.finished;
  clearTimeout(timer);
  killGroup(started.child); // anything it left behind in its group
  return end;
}

/** Whether a process of the child's group is still alive. */
export function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (groupAlive(child)) process.kill(-child.pid!, signal);
}

/** Waits (at most `limitMs`) until the child's group has no process left. */
export async function groupEnded(child: ChildProcess, limitMs = 20_000): Promise<void> {
  for (let waited = 0; waited < limitMs && groupAlive(child); waited += 100) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}
