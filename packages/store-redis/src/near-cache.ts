import type { CacheEntry } from '@prompt-cache/core';

/**
 * The entries this process read from Redis, kept while Redis promises to say when they change (client-side
 * caching: `CLIENT TRACKING`). A read remembered here needs no round trip. What it guards against:
 * - an entry changed, deleted, expired or evicted in Redis: Redis sends the key, and it is forgotten;
 * - a change that races a read: a read during which its key was invalidated is not remembered;
 * - a read sent before tracking was on, or a connection lost: `deactivate` forgets everything, and only reads
 *   begun after the next `activate` are remembered.
 */
export interface NearCache {
  /** The entry remembered under `redisKey`, if tracking is on and nothing invalidated it. */
  get(redisKey: string): CacheEntry | undefined;
  /** Called before a read is sent; its ticket decides whether the answer may be remembered. */
  beginRead(redisKey: string): number;
  /** Called with a read's answer (`undefined`: none); remembers it when nothing invalidated the key since. */
  finishRead(redisKey: string, ticket: number, entry: CacheEntry | undefined, bytes: number): void;
  /** Forgets `redisKeys`, or everything (`null`, as Redis says after FLUSHALL). */
  invalidate(redisKeys: readonly string[] | null): void;
  /** Tracking is on for reads sent from now on. */
  activate(): void;
  /** Tracking may be lost (a connection dropped): forget everything, remember nothing until `activate`. */
  deactivate(): void;
  readonly active: boolean;
  readonly entries: number;
}

interface Remembered {
  entry: CacheEntry;
  bytes: number;
}

/** Creates a near cache holding at most `maxBytes` of serialized entries, least recently read first out. */
export function createNearCache(maxBytes: number): NearCache {
  const remembered = new Map<string, Remembered>();
  // Reads in flight per key, and the keys invalidated while one was in flight.
  const reading = new Map<string, number>();
  const spoiled = new Set<string>();
  let bytes = 0;
  // A ticket is the epoch its read began in; every activation and deactivation starts a new one.
  let epoch = 0;
  let active = false;

  const forget = (redisKey: string) => {
    const known = remembered.get(redisKey);
    if (!known) return;
    remembered.delete(redisKey);
    bytes -= known.bytes;
  };
  const forgetAll = () => {
    remembered.clear();
    bytes = 0;
    for (const redisKey of reading.keys()) spoiled.add(redisKey);
  };

  return {
    get(redisKey) {
      const known = remembered.get(redisKey);
      if (!known) return undefined;
      // Re-inserted on every read, so the Map's first key is the least recently read.
      remembered.delete(redisKey);
      remembered.set(redisKey, known);
      return known.entry;
    },
    beginRead(redisKey) {
      reading.set(redisKey, (reading.get(redisKey) ?? 0) + 1);
      return active ? epoch : -1;
    },
    finishRead(redisKey, ticket, entry, entryBytes) {
      const left = (reading.get(redisKey) ?? 1) - 1;
      const clean = !spoiled.has(redisKey);
      if (left === 0) {
        reading.delete(redisKey);
        spoiled.delete(redisKey);
      } else reading.set(redisKey, left);
      if (!active || ticket !== epoch || !clean || entry === undefined || entryBytes > maxBytes) return;
      forget(redisKey);
      remembered.set(redisKey, { entry, bytes: entryBytes });
      bytes += entryBytes;
      for (const [oldest, known] of remembered) {
        if (bytes <= maxBytes) break;
        remembered.delete(oldest);
        bytes -= known.bytes;
      }
    },
    invalidate(redisKeys) {
      if (redisKeys === null) {
        forgetAll();
        return;
      }
      for (const redisKey of redisKeys) {
        forget(redisKey);
        if (reading.has(redisKey)) spoiled.add(redisKey);
      }
    },
    activate() {
      epoch++;
      active = true;
    },
    deactivate() {
      epoch++;
      active = false;
      forgetAll();
    },
    get active() {
      return active;
    },
    get entries() {
      return remembered.size;
    },
  };
}
