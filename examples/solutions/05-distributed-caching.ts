// Reference solution for exercise 5. Try the exercise before reading this.
import type { CacheEntry } from '@prompt-cache/core';
import { ENTRY_SCHEMA_VERSION } from '@prompt-cache/core/store-kit';
import type { SharedAnswer, SharedStore } from '../05-distributed-caching/exercise.ts';

export async function sharedAnswer(
  store: SharedStore,
  key: string,
  compute: () => Promise<string>,
  options: { ttlSeconds?: number } = {},
): Promise<SharedAnswer> {
  const ttlSeconds = options.ttlSeconds ?? 3600;
  while (true) {
    const found = await store.get(key);
    if (found) return { value: String(found.value), computed: false };

    const handle = await store.lock.acquire(key, 60_000);
    if (handle === null) {
      await store.lock.waitForRelease(key, 30_000); // another instance computes: wait, then read again
      continue;
    }
    try {
      const stored = await store.get(key); // the previous holder may have stored it just now
      if (stored) return { value: String(stored.value), computed: false };
      const value = await compute();
      const now = Date.now();
      const entry: CacheEntry = {
        version: ENTRY_SCHEMA_VERSION,
        value,
        createdAt: now,
        expiresAt: ttlSeconds === 0 ? null : now + ttlSeconds * 1000,
        meta: {},
      };
      await store.set(key, entry); // stored before the lock is released, so the waiters find it
      return { value, computed: true };
    } finally {
      await handle.release();
    }
  }
}
