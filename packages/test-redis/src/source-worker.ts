import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * Starts a TypeScript worker script in a Node process of its own, resolving the workspace's packages to their
 * sources (the `@prompt-cache/source` condition, through tsx), as multi-process tests do. Its output is piped.
 * `cwd` is the package the worker belongs to, where `tsx` resolves.
 */
export function spawnSourceWorker(
  script: string,
  args: string[],
  cwd: string,
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['--conditions=@prompt-cache/source', '--import', 'tsx', script, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
