import { describe } from 'vitest';
import { requireRedis } from './redis-available.js';

/**
 * `describe` when `redis-server` is on PATH. Otherwise `describe.skip` plus a loud warning with the install
 * command, or under CI=true an error that fails the run, so a missing binary never passes silently.
 * @example
 * describeWithRedis('createRedisStore', () => {
 *   let server: RedisServerHandle;
 *   beforeAll(async () => { server = await startRedisServer(); });
 *   afterAll(() => server.stop());
 *   it('...', async () => { ... });
 * });
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (requireRedis(`the tests in "${name}"`)) describe(name, body);
  else describe.skip(`${name} (SKIPPED: redis-server is not installed)`, body);
}

/** Like {@link describeWithRedis}, and also needs `redis-cli` (Cluster tests create the cluster with it). */
export function describeWithRedisCluster(name: string, body: () => void): void {
  if (requireRedis(`the tests in "${name}"`, ['redis-server', 'redis-cli'])) describe(name, body);
  else describe.skip(`${name} (SKIPPED: redis-server or redis-cli is not installed)`, body);
}
