import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedChildEnvironment } from './aws-environment.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import { BENCH_DIRECTORY } from './versions.js';

const CLI = join(BENCH_DIRECTORY, '..', 'apps', 'cli', 'dist', 'main.js');

/**
 * The gateway as users run it: the built `prompt-cache serve`, in a process of its own, on a free loopback port,
 * answering misses with its in-process simulator. `args` are more `serve` flags (default: entries in memory, a
 * simulator with no latency); `env` adds variables. Its environment carries none of a developer's PROMPT_CACHE_*
 * or AWS_* settings, and no credential lookup leaves the machine.
 */
export function startGatewayProcess(
  args: string[] = ['--simulator-latency', '0', '--cache-type', 'memory'],
  env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
  if (!existsSync(CLI)) {
    throw new Error(`[bench] the gateway runs as the built CLI, and ${CLI} is missing; run pnpm build`);
  }
  return startServerProcess(
    'gateway (prompt-cache serve)',
    [CLI, ...['serve', '--port', '0', '--host', '127.0.0.1', '--upstream', 'simulator'], ...args],
    { env: { ...isolatedChildEnvironment(), ...env } },
  );
}
