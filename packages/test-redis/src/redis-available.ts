import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { requirementMet } from './requirements.js';

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

/**
 * True when every binary is on PATH. Otherwise skips loudly (false), or under CI=true throws with the install
 * command (see {@link requirementMet}).
 */
export function requireRedis(tests = 'the Redis tests', binaries: string[] = ['redis-server']): boolean {
  const missing = binaries.filter((binary) => !redisAvailable(binary));
  return requirementMet(missing.length === 0, {
    missing: `${missing.join(' and ')} (not on PATH)`,
    tests,
    install: REDIS_INSTALL_HINT,
  });
}
