import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanEnvironment, cleanUp, temporaryDirectory } from './run-cli.ts';

// The command the README and the course document, `pnpm exec prompt-cache`, run as a user runs it: from the
// repository root, through pnpm. It must print nothing of its own, and a signal must stop `serve` with
// nothing left running. Each run gets a process group of its own: Ctrl+C in a terminal signals the whole
// group, `kill <pid>` (a supervisor, `timeout`) only the process at the top.
const root = resolve(import.meta.dirname, '../../..');
const started: ChildProcess[] = [];

interface Launch {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(command: string, args: string[]): Launch {
  const env = { ...cleanEnvironment(temporaryDirectory()), PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const ready = new Promise<void>((resolveReady, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('Press Ctrl+C to stop.')) resolveReady();
    });
    child.on('close', () =>
      reject(new Error(`${command} ${args.join(' ')} ended early:\n${stdout}\n${stderr}`)),
    );
  });
  ready.catch(() => {}); // a run that is not awaited for readiness may end first
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('close', (code, signal) => resolveExit({ code, signal })),
  );
  return { child, output: () => ({ stdout, stderr }), ready, exited };
}

/** Whether any process of the child's group is still alive (an orphaned server would be). */
function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (at most 20 s) for the last process of the child's group to end. */
async function groupEmptied(child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200 && groupAlive(child); attempt++) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

afterEach(() => {
  for (const child of started.splice(0)) {
    if (groupAlive(child)) process.kill(-child.pid!, 'SIGKILL');
  }
});
afterAll(cleanUp);

const serve = ['serve', '--port', '0', '--upstream', 'simulator'];
const shim = join(root, 'node_modules', '.bin', 'prompt-cache');

describe('the documented command: pnpm exec prompt-cache', () => {
  it.each([
    {
      how: 'pnpm exec prompt-cache serve, Ctrl+C',
      command: 'pnpm',
      args: ['exec', 'prompt-cache', ...serve],
      signal: 'SIGINT',
      group: true,
    },
    {
      how: 'pnpm exec prompt-cache serve, kill (SIGTERM)',
      command: 'pnpm',
      args: ['exec', 'prompt-cache', ...serve],
      signal: 'SIGTERM',
      group: false,
    },
    {
      how: 'pnpm serve, kill (SIGTERM)',
      command: 'pnpm',
      args: ['serve', '--port', '0', '--upstream', 'simulator'],
      signal: 'SIGTERM',
      group: false,
    },
    {
      how: 'node_modules/.bin/prompt-cache serve, kill -INT',
      command: shim,
      args: serve,
      signal: 'SIGINT',
      group: false,
    },
    {
      how: 'node_modules/.bin/prompt-cache serve, kill (SIGTERM)',
      command: shim,
      args: serve,
      signal: 'SIGTERM',
      group: false,
    },
  ] as const)('$how stops the gateway and leaves no process behind', async ({
    command,
    args,
    signal,
    group,
  }) => {
    const run = launch(command, [...args]);
    await run.ready;
    process.kill(group ? -run.child.pid! : run.child.pid!, signal);
    const exit = await run.exited;
    const { stdout, stderr } = run.output();
    if (group) {
      // Ctrl+C reaches pnpm too. pnpm 12 either ends by that signal at once or waits for the gateway and
      // ends with its code (0): both happen from one run to the next. The gateway gets the same signal and
      // stops on its own, and nothing of the group is left.
      expect([
        { code: null, signal },
        { code: 0, signal: null },
      ]).toContainEqual(exit);
    } else {
      expect(stdout).toContain(`Gateway stopped (${signal})`);
      expect(exit).toEqual({ code: 0, signal: null });
    }
    // A process of the group that has exited stays visible until it is reaped, which a loaded machine can delay.
    await groupEmptied(run.child);
    expect(groupAlive(run.child)).toBe(false);
    if (command !== 'pnpm' || args[0] === 'exec') {
      expect(stdout.split('\n')[0]).toMatch(/^prompt-cache gateway listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(stderr).toBe('');
    }
  });

  it('prints no package-manager noise when a command fails', async () => {
    const run = launch('pnpm', ['exec', 'prompt-cache', 'ask']);
    const exit = await run.exited;
    const { stdout, stderr } = run.output();
    expect(exit.code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(/ELIFECYCLE|ERR_PNPM|^\$ /m);
    expect(stderr.trim().split('\n')[0]).toMatch(/^prompt-cache/);
  });
});
