import { describeStoreContract } from '@prompt-cache/core/testing';
import {
  type RedisClusterHandle,
  type RedisServerHandle,
  startRedisCluster,
  startRedisServer,
} from '@prompt-cache/test-redis';
import { describeWithRedis, describeWithRedisCluster } from '@prompt-cache/test-redis/vitest';
import { afterAll, beforeAll } from 'vitest';
import { RELAXED_TIMEOUT_MS } from '../test/timeouts.js';
import { createRedisStore } from './redis-store.js';

const capabilities = ['keys', 'size', 'lock', 'stats'] as const;
let run = 0;
const uniquePrefix = (name: string) => `contract-${name}-${process.pid}-${run++}:`;

describeWithRedis('redis store contract', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  describeStoreContract('redis', {
    create: ({ clock }) =>
      createRedisStore({
        url: server.url,
        keyPrefix: uniquePrefix('redis'),
        clock,
        commandTimeoutMs: RELAXED_TIMEOUT_MS,
      }),
    capabilities,
  });

  // The same contract with reads answered from memory while Redis tracks them.
  describeStoreContract('redis, nearCache', {
    create: ({ clock }) =>
      createRedisStore({
        url: server.url,
        keyPrefix: uniquePrefix('near'),
        clock,
        commandTimeoutMs: RELAXED_TIMEOUT_MS,
        nearCache: true,
      }),
    capabilities,
  });
});

describeWithRedisCluster('redis cluster store contract', () => {
  let cluster: RedisClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  });
  afterAll(() => cluster?.stop());

  describeStoreContract('redis-cluster', {
    create: ({ clock }) =>
      createRedisStore({
        cluster: { nodes: cluster.nodes },
        keyPrefix: uniquePrefix('cluster'),
        clock,
        commandTimeoutMs: RELAXED_TIMEOUT_MS,
      }),
    capabilities,
  });
});
