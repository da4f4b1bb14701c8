// Exercise 1: write your own store.
//
// A store keeps entries by key and forgets them after their expiry. Implement the four required
// members below with a plain Map, then run the check:
//
//   pnpm exercise 01-first-cache
//
// The check is the same contract suite every store of this project passes (memory, file, Redis).
// Hints: an entry has `expiresAt` (epoch ms, or null for never); compare it with `clock.now()` on read.
// `clear(prefix)` removes only keys starting with the prefix and returns how many it removed.
import type { CacheStore, Clock } from '@prompt-cache/core';

export function createMyStore(options: { clock: Clock }): CacheStore {
  void options;
  throw new Error('Exercise 1: implement createMyStore in examples/01-first-cache/exercise.ts');
}
