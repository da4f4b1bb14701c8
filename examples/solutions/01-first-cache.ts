// Reference solution for exercise 1. Try the exercise before reading this.
import type { CacheEntry, CacheStore, Clock } from '@prompt-cache/core';
import { isExpired } from '@prompt-cache/core/store-kit';

export function createMyStore(options: { clock: Clock }): CacheStore {
  const entries = new Map<string, CacheEntry>();
  return {
    name: 'my-map-store',
    async get(key) {
      const entry = entries.get(key);
      if (entry && isExpired(entry, options.clock.now())) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    async set(key, entry) {
      entries.set(key, entry);
    },
    async delete(key) {
      return entries.delete(key);
    },
    async clear(prefix) {
      let removed = 0;
      for (const key of [...entries.keys()]) {
        if (prefix === undefined || key.startsWith(prefix)) removed += Number(entries.delete(key));
      }
      return removed;
    },
  };
}
