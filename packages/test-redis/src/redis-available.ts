import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The command that installs the binaries on Debian and Ubuntu. */
export const REDIS_INSTALL_HINT = 'apt-get update && apt-get install -y redis-server';

/** True when `binary` (default `redis-server`) is an executable on PATH. */
export function redisAvailable(binary = 'redis-server'): boolean {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    try {
      accessSync(join(directory, binary), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const warned = new Set<string>();

/** Prints a loud warning (once per `what` and process) that tests are skipped, and how to install Redis. */
export function warnRedisMissing(what = 'the Redis tests', binary = 'redis-server'): void {
  if (warned.has(what)) return;
  warned.add(what);
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! [test-redis] ${binary} is not on PATH, so ${what} are SKIPPED.\n` +
      `!! Install it with: ${REDIS_INSTALL_HINT}\n${line}\n`,
  );
}
