// Module 5: distributed caching. Two caches with their own connections to one Redis, as two processes
// (or two hosts) would have. They share the answers, a lock that makes a stampede call the model once,
// and the statistics. The example starts its own throwaway redis-server and stops it at the end.
import { createPromptCache } from '@prompt-cache/core';
import { createRedisStore } from '@prompt-cache/store-redis';
import { REDIS_INSTALL_HINT, redisAvailable, startRedisServer } from '@prompt-cache/test-redis';

const PREFIX = 'course:';
const modelSeconds = process.env.PROMPT_CACHE_FAST_EXAMPLES ? 0.05 : 1;
let modelCalls = 0;

/** A stand-in model of about one second that counts its calls. */
async function standInModel(prompt: string): Promise<string> {
  modelCalls++;
  await new Promise((resolve) => setTimeout(resolve, modelSeconds * 1000));
  return `[stand-in model] A short answer to "${prompt}"`;
}

const formatMs = (ms: number) => (ms >= 100 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(3)} ms`);

async function main(): Promise<void> {
  const server = await startRedisServer();
  console.log(
    `A throwaway redis-server on port ${server.port} (started for this example, stopped at the end)\n`,
  );
  // Two instances: each has its own store, connection and cache, exactly as two processes would.
  const instances = ['A', 'B'].map((name) => {
    const store = createRedisStore({ url: server.url, keyPrefix: PREFIX });
    const cache = createPromptCache<string, string>({ store, namespace: 'course', ttlSeconds: 3600 });
    return { name, store, cache };
  });
  const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
  try {
    console.log('1. Two caches, one Redis: what one instance stores, the other finds');
    for (const instance of [a, b]) {
      const result = await instance.cache.getOrCompute('What is Redis?', () =>
        standInModel('What is Redis?'),
      );
      console.log(
        `  instance ${instance.name}  ${result.status.toUpperCase().padEnd(5)} ${formatMs(result.latencyMs).padStart(10)}  What is Redis?${instance === b ? '  (stored by instance A)' : ''}`,
      );
    }

    console.log('\n2. A stampede: 10 identical asks at the same moment, 5 on each instance');
    const question = 'How does a distributed lock work?';
    const before = modelCalls;
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 === 0 ? a : b).cache.getOrCompute(question, () => standInModel(question)),
      ),
    );
    const distinct = new Set(results.map((result) => result.value)).size;
    console.log(
      `  model calls: ${modelCalls - before}, answers: ${results.length} (${distinct === 1 ? 'all identical' : `${distinct} different`}), ${results.filter((result) => result.coalesced).length} waited for the one call`,
    );
    console.log(`  all answered in ${formatMs(performance.now() - started)}: one model call, not ten`);

    console.log('\n3. The statistics live in Redis too, and add up both instances:');
    await b.cache.flushStats();
    const shared = await a.cache.snapshot();
    console.log(
      `  hits ${shared.hits}, misses ${shared.misses}, waited for an identical call ${shared.coalesced}, hit rate ${(shared.hitRate * 100).toFixed(0)}%`,
    );

    console.log(`\n4. What lives in Redis (every key starts with the prefix "${PREFIX}"):`);
    const [, keys] = await a.store.client.scan('0', 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
    for (const key of keys.sort()) {
      const type = await a.store.client.type(key);
      const ttl = await a.store.client.pttl(key);
      const what =
        type === 'hash'
          ? 'a hash of shared counters'
          : `an answer, expires in ${Math.round(ttl / 1000)} s (PX)`;
      console.log(`  ${key.length > 40 ? `${key.slice(0, 40)}…` : key.padEnd(41)}  ${what}`);
    }
    console.log(`  (a lock, ${PREFIX}lock:<key>, exists only while one instance calls the model)`);
  } finally {
    for (const instance of instances) await instance.cache.close();
    await server.stop();
    console.log(`\nredis-server stopped (pid ${server.pid}).`);
  }
}

if (redisAvailable()) {
  await main();
} else {
  console.log('redis-server is not installed, so example 05 is SKIPPED.');
  console.log(`Install it with: ${REDIS_INSTALL_HINT}`);
}
