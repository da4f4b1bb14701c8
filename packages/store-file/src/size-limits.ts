import { stat, unlink } from 'node:fs/promises';
import { scanEntries } from './layout.js';
import { mapLimit } from './map-limit.js';

/** Why the store removed an entry on its own. */
export type EvictionReason = 'lru' | 'size' | 'expired';

export interface SizeLimitsOptions {
  directory: string;
  maxEntries: number;
  maxBytes: number;
  /** Reads the key kept inside an entry file (for eviction reports); `undefined` when unreadable. */
  readKey(path: string): Promise<string | undefined>;
  /** Whether anyone listens for evictions (so keys are only read when needed). */
  reporting(): boolean;
  report(key: string, reason: EvictionReason): void;
}

interface Candidate {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * Keeps the directory within `maxEntries` and `maxBytes`, least recently used first.
 *
 * Recency is each file's modification time (set on write and on every hit), so it is shared by every
 * process. The hit path does no scanning. A write updates an in-process estimate of the totals; a
 * directory scan (one stat per file) happens on the first write, when the estimate goes over a limit
 * and its queue of eviction candidates is used up, and every `rescanEvery` writes to pick up other
 * processes' writes. Evictions take the oldest candidates of the last scan, skipping any file that was
 * touched since (its modification time moved).
 */
export function createSizeLimits(options: SizeLimitsOptions) {
  const { maxEntries, maxBytes } = options;
  const enabled = Number.isFinite(maxEntries) || Number.isFinite(maxBytes);
  const rescanEvery = Number.isFinite(maxEntries) ? Math.max(100, Math.floor(maxEntries / 10)) : 1_000;
  let estimate: { entries: number; bytes: number } | undefined;
  let queue: Candidate[] = [];
  let queued = 0;
  let writesSinceScan = 0;
  let chain: Promise<void> = Promise.resolve();
  // Writes are numbered as they complete and wait here until they are accounted for. A scan sees
  // every write completed before it started; writes completed while it ran may or may not be in it,
  // so those are checked against what the scan found. Either way no write is counted twice.
  let completedWrites = 0;
  let scannedThrough = 0;
  const unaccounted = new Map<number, { path: string; previousSize: number | undefined; size: number }>();

  const over = () => estimate !== undefined && (estimate.entries > maxEntries || estimate.bytes > maxBytes);

  const rescan = async () => {
    const startedAfter = completedWrites;
    const { entries } = await scanEntries(options.directory);
    const found = await mapLimit(entries, 32, async (entry) => {
      try {
        const info = await stat(entry.path);
        return { path: entry.path, size: info.size, mtimeMs: info.mtimeMs };
      } catch {
        return undefined; // removed meanwhile
      }
    });
    queue = found.filter((candidate) => candidate !== undefined).sort((a, b) => a.mtimeMs - b.mtimeMs);
    queued = 0;
    estimate = {
      entries: queue.length,
      bytes: queue.reduce((total, candidate) => total + candidate.size, 0),
    };
    const during = [...unaccounted].filter(([write]) => write > startedAfter && write <= completedWrites);
    if (during.length > 0) {
      const paths = new Set(during.map(([, write]) => write.path));
      const seen = new Map(
        queue
          .filter((candidate) => paths.has(candidate.path))
          .map((candidate) => [candidate.path, candidate.size]),
      );
      for (const [, write] of during.sort(([a], [b]) => a - b)) {
        const counted = seen.get(write.path);
        if (counted === undefined) estimate.entries++;
        estimate.bytes += write.size - (counted ?? 0);
        seen.set(write.path, write.size);
      }
    }
    scannedThrough = completedWrites;
    writesSinceScan = 0;
  };

  const evict = async (written: string) => {
    let rescanned = false;
    while (over() && estimate) {
      const candidate = queue[queued++];
      if (!candidate) {
        if (rescanned) return;
        await rescan();
        rescanned = true;
        continue;
      }
      if (candidate.path === written) continue;
      let mtimeMs: number;
      let size: number;
      try {
        ({ mtimeMs, size } = await stat(candidate.path));
      } catch {
        // Someone else removed it since the scan.
        estimate.entries--;
        estimate.bytes -= candidate.size;
        continue;
      }
      if (mtimeMs > candidate.mtimeMs) continue; // used since the scan: no longer the least recent
      const reason = estimate.entries > maxEntries ? 'lru' : 'size';
      const key = options.reporting() ? await options.readKey(candidate.path) : undefined;
      try {
        await unlink(candidate.path);
      } catch {
        continue;
      }
      estimate.entries--;
      estimate.bytes -= size;
      if (key !== undefined) options.report(key, reason);
    }
  };

  const account = async (write: number, path: string) => {
    if (estimate === undefined || writesSinceScan >= rescanEvery) {
      await rescan();
    } else if (write > scannedThrough) {
      const { previousSize, size } = unaccounted.get(write)!;
      writesSinceScan++;
      estimate.entries += previousSize === undefined ? 1 : 0;
      estimate.bytes += size - (previousSize ?? 0);
    }
    unaccounted.delete(write);
    await evict(path);
  };

  return {
    enabled,

    /** The size of the file about to be replaced, or `undefined` when there is none. */
    async sizeBefore(path: string): Promise<number | undefined> {
      if (!enabled) return undefined;
      try {
        return (await stat(path)).size;
      } catch {
        return undefined;
      }
    },

    /** Accounts for a completed write and evicts when over a limit. Never rejects. */
    afterWrite(path: string, previousSize: number | undefined, size: number): Promise<void> {
      if (!enabled) return Promise.resolve();
      const write = ++completedWrites;
      unaccounted.set(write, { path, previousSize, size });
      chain = chain
        .then(() => account(write, path))
        .catch(() => {
          unaccounted.delete(write);
        });
      return chain;
    },

    /** Accounts for an entry file this process removed. */
    removed(size: number): void {
      if (!estimate) return;
      estimate.entries--;
      estimate.bytes -= size;
    },

    /** Forgets the estimate after bulk changes (clear, prune); the next write rescans. */
    invalidate(): void {
      estimate = undefined;
      queue = [];
      queued = 0;
    },

    /** Resolves when pending eviction work is done. */
    idle(): Promise<void> {
      return chain;
    },
  };
}
