import { describe } from 'vitest';
import { redisAvailable, warnRedisMissing } from './redis-available.js';

/**
 * `describe` when `redis-server` is on PATH; otherwise `describe.skip` plus a loud warning with the install command,
 * so a missing binary never passes silently.
 * @example
 * describeWithRedis('createRedisStore', () => {
 *   let server: RedisServerHandle;
 *   beforeAll(async () => { server = await startRedisServer(); });
 *   afterAll(() => server.stop());
 *   it('...', async () => { ... });
 * });
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisAvailable()) {
    describe(name, body);
    return;
  }
  warnRedisMissing(`the tests in "${name}"`);
  describe.skip(`${name} (SKIPPED: redis-server is not installed)`, body);
}

/** Like {@link describeWithRedis}, and also needs `redis-cli` (Cluster tests create the cluster with it). */
export function describeWithRedisCluster(name: string, body: () => void): void {
  if (redisAvailable() && redisAvailable('redis-cli')) {
    describe(name, body);
    return;
  }
  warnRedisMissing(`the tests in "${name}"`, redisAvailable() ? 'redis-cli' : 'redis-server');
  describe.skip(`${name} (SKIPPED: redis-server or redis-cli is not installed)`, body);
}
