import { createRedisStore, type RedisStore } from '@prompt-cache/store-redis';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { solution } from '../solution-switch.ts';

const { sharedAnswer } = await solution<typeof import('./exercise.ts')>(
  '05-distributed-caching',
  import.meta.url,
);

// Two instances of an app: two stores, each with its own connections, on one test-started redis-server.
describeWithRedis('exercise 5: one model call for a whole fleet', () => {
  let server: RedisServerHandle;
  let instances: RedisStore[];

  beforeAll(async () => {
    server = await startRedisServer();
    instances = [0, 1].map(() => createRedisStore({ url: server.url, keyPrefix: 'exercise5:' }));
    for (const store of instances) await store.ping();
  });
  afterAll(async () => {
    for (const store of instances ?? []) await store.close();
    await server?.stop();
  });
  beforeEach(async () => {
    await instances[0]!.clear();
  });

  /** A model of 200 ms that counts its calls. */
  function slowModel(answer = 'the one answer') {
    const model = {
      calls: 0,
      compute: async () => {
        model.calls++;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return answer;
      },
    };
    return model;
  }

  /** Ten identical asks at once, five on each instance. */
  const tenAtOnce = (compute: () => Promise<string>) =>
    Promise.allSettled(
      Array.from({ length: 10 }, (_, index) => sharedAnswer(instances[index % 2]!, 'question-1', compute)),
    );

  it('calls the model once for 10 concurrent asks across both instances', async () => {
    const model = slowModel();
    const results = await tenAtOnce(model.compute);
    expect(model.calls).toBe(1);
    const answers = results.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
    expect(answers.map((answer) => answer?.value)).toEqual(Array(10).fill('the one answer'));
    expect(answers.filter((answer) => answer?.computed)).toHaveLength(1);
  });

  it('answers later asks from Redis, on either instance, without the model', async () => {
    await sharedAnswer(instances[0]!, 'question-2', slowModel('stored').compute);
    const model = slowModel('computed again');
    for (const store of instances) {
      expect(await sharedAnswer(store, 'question-2', model.compute)).toEqual({
        value: 'stored',
        computed: false,
      });
    }
    expect(model.calls).toBe(0);
  });

  it('stores the answer with a TTL (Redis expires it)', async () => {
    await sharedAnswer(instances[1]!, 'question-3', slowModel().compute, { ttlSeconds: 60 });
    const entry = await instances[0]!.get('question-3');
    expect(entry?.expiresAt).toBeGreaterThan(Date.now() + 50_000);
    expect(entry?.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    const ttlMs = await instances[0]!.client.pttl('exercise5:entry:question-3');
    expect(ttlMs).toBeGreaterThan(0);
  });

  it('does not leave the others waiting when the one model call fails', async () => {
    let calls = 0;
    const flaky = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (calls === 1) throw new Error('ThrottlingException: the first call fails');
      return 'the second call worked';
    };
    const started = Date.now();
    const results = await tenAtOnce(flaky);
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
    expect(calls).toBe(2);
    // Released in a finally: the others took over at once instead of waiting for the lock to expire.
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 40_000);
});
