// Exercise 5: one model call for a whole fleet.
//
// Two instances of your app share one Redis. When ten users ask the same new question at the same moment,
// spread over both instances, the model must be called once. The cache does this for you with the store's
// lock; here you write it yourself, to see how it works. Write `sharedAnswer(store, key, compute)`:
//   1. `await store.get(key)`: an entry? Return `{ value: String(entry.value), computed: false }`.
//   2. Else `await store.lock.acquire(key, 60_000)`:
//      - a handle: you hold the lock. Read once more (the holder before you may have just stored it). Still
//        nothing? `compute()`, store the answer with `store.set(key, entry)`, and only then
//        `handle.release()` — in a `finally`, so that a failed compute releases the lock too.
//        Return `{ value, computed: true }`.
//      - `null`: another instance is computing. `await store.lock.waitForRelease(key, 30_000)`, then go back
//        to step 1 (its answer is there now; or, if it failed, you may take the lock).
// An entry is `{ version: ENTRY_SCHEMA_VERSION, value, createdAt: now, expiresAt: now + ttlSeconds * 1000,
// meta: {} }` (ENTRY_SCHEMA_VERSION comes from @prompt-cache/core; `value` is your string; `ttlSeconds` is
// `options.ttlSeconds`, default 3600).
// The check starts its own redis-server, so it needs redis-server installed. Then run:
//   pnpm exercise 05-distributed-caching
import type { CacheLock, CacheStore } from '@prompt-cache/core';

/** A store shared by every instance, with a lock (a Redis store is one). */
export interface SharedStore extends CacheStore {
  readonly lock: CacheLock;
}

export interface SharedAnswer {
  value: string;
  /** True for the one caller that called `compute`. */
  computed: boolean;
}

export async function sharedAnswer(
  store: SharedStore,
  key: string,
  compute: () => Promise<string>,
  options: { ttlSeconds?: number } = {},
): Promise<SharedAnswer> {
  void store;
  void key;
  void compute;
  void options;
  throw new Error('Exercise 5: implement sharedAnswer in examples/05-distributed-caching/exercise.ts');
}
