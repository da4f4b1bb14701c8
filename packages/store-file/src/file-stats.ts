import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { StatsBackend } from '@prompt-cache/core/store-kit';
import { writeFileAtomic } from './atomic-write.js';
import { acquireLock, tryLock } from './file-lock.js';
import { fileStoreError } from './fs-error.js';
import { isMissing, STATS_DIRECTORY } from './layout.js';
import { makeDirectory } from './make-directory.js';

export interface FileStatsBackendOptions {
  /** The store's directory; statistics live in its `stats/` subdirectory. */
  directory: string;
  /** The delta log is folded into `stats.json` once it is this large. Default `65_536` bytes. */
  compactAtBytes?: number;
  /**
   * Least time between two compactions. A compaction folds the log that the previous one set aside,
   * so this is also how long a late append to a set-aside log has to land. Default `5_000` ms.
   */
  compactIntervalMs?: number;
  /** Permissions of the files it creates (before the umask). Default `0o600`. */
  fileMode?: number;
  /** Permissions of the directories it creates (before the umask). Default `0o700`. */
  directoryMode?: number;
}

/** The persistent statistics backend, plus housekeeping used by the store. */
export interface FileStatsBackend extends StatsBackend {
  /** Removes temporary files and broken-lock leftovers older than `olderThanMs` (crashed processes). Returns how many. */
  removeStrayFiles(olderThanMs: number): Promise<number>;
}

// Files under <directory>/stats/:
//   deltas.log              the live log: one JSON object of deltas per line, appended with O_APPEND
//   stats.json              the compacted totals, rewritten atomically (temporary file + rename)
//   deltas.<token>.log      the log the last compaction set aside; folded in by the next compaction
//   compact.lock            held while compacting or resetting
const LOG = 'deltas.log';
const BASE = 'stats.json';
const LOCK = 'compact.lock';
const ASIDE_NAME = /^deltas\.[0-9a-f]+\.log$/;
const STRAY_NAME = /^(stats\.json\.\d+-[0-9a-f]{8}\.tmp|compact\.lock\.\d+-[0-9a-f]{8}\.stale)$/;
const STALE_LOCK_MS = 10_000;
const READ_ATTEMPTS = 10;

interface Base {
  /** Incremented by every compaction and reset, so a reader can tell that it read a moving target. */
  generation: number;
  fields: Record<string, number>;
  /** Name of the set-aside log whose lines are not yet in `fields`. */
  aside: string | null;
  /** When the last compaction set a log aside (epoch ms, wall clock). */
  compactedAt: number;
}

interface LogRead {
  ino: number;
  text: string;
}

/**
 * Statistics kept in a directory and shared by every process that uses it.
 *
 * `add` appends one line of deltas to `deltas.log` with a single O_APPEND write, so concurrent
 * writers never interleave and never wait. `read` sums `stats.json`, the set-aside log and the live
 * log. Now and then a writer compacts under a lock file: it folds the previously set-aside log into
 * `stats.json` and renames the live log aside. The set-aside log is read in full only at the next
 * compaction, by which time any append that had opened the old file has long landed; nothing is lost.
 */
export function createFileStatsBackend(options: FileStatsBackendOptions): FileStatsBackend {
  const root = join(options.directory, STATS_DIRECTORY);
  const logPath = join(root, LOG);
  const basePath = join(root, BASE);
  const lockPath = join(root, LOCK);
  const compactAtBytes = options.compactAtBytes ?? 65_536;
  const compactIntervalMs = options.compactIntervalMs ?? 5_000;
  let directoryReady = false;
  let nextCompactionCheck = 0;

  const ensureDirectory = async () => {
    if (directoryReady) return;
    await makeDirectory(root, options.directoryMode ?? 0o700);
    directoryReady = true;
  };

  const append = async (line: string): Promise<number> => {
    const handle = await open(logPath, 'a', options.fileMode ?? 0o600);
    try {
      // One write() of one buffer: O_APPEND makes it land whole after every other append.
      await handle.write(Buffer.from(line));
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  };

  const readBase = async (): Promise<Base> => {
    try {
      return parseBase(await readFile(basePath, 'utf8'));
    } catch (error) {
      if (isMissing(error)) return emptyBase();
      throw error;
    }
  };

  const writeBase = (base: Base) =>
    writeFileAtomic(basePath, JSON.stringify(base), undefined, options.fileMode ?? 0o600);

  const compact = async (): Promise<void> => {
    const release = await tryLock(lockPath, { staleMs: STALE_LOCK_MS });
    if (!release) return;
    try {
      const base = await readBase();
      if (Date.now() - base.compactedAt < compactIntervalMs) return;
      const fields = { ...base.fields };
      if (base.aside) sumLines((await readLog(join(root, base.aside)))?.text ?? '', fields);
      const aside = `deltas.${randomBytes(8).toString('hex')}.log`;
      // Name the new set-aside log before creating it: a crash between the two steps loses nothing.
      await writeBase({ generation: base.generation + 1, fields, aside, compactedAt: Date.now() });
      await rename(logPath, join(root, aside)).catch(ignoreMissing);
      await removeUnreferencedLogs(aside);
    } finally {
      await release();
    }
  };

  // Set-aside logs that stats.json no longer names are already folded in (or were reset away).
  const removeUnreferencedLogs = async (keep: string | null) => {
    for (const name of await readdir(root)) {
      if (ASIDE_NAME.test(name) && name !== keep) await unlink(join(root, name)).catch(ignoreMissing);
    }
  };

  return {
    async add(deltas) {
      const clean: Record<string, number> = {};
      for (const [field, value] of Object.entries(deltas)) {
        if (typeof value === 'number' && Number.isFinite(value) && value !== 0) clean[field] = value;
      }
      if (Object.keys(clean).length === 0) return;
      // A leading newline isolates this line even if an earlier write was cut short (disk full).
      const line = `\n${JSON.stringify(clean)}\n`;
      let size: number;
      try {
        await ensureDirectory();
        size = await append(line).catch(async (error) => {
          if (!isMissing(error)) throw error;
          directoryReady = false;
          await ensureDirectory();
          return append(line);
        });
      } catch (error) {
        throw fileStoreError('record statistics', root, error);
      }
      if (size >= compactAtBytes && Date.now() >= nextCompactionCheck) {
        nextCompactionCheck = Date.now() + compactIntervalMs / 2;
        // Compaction is housekeeping: the deltas are already safe in the log.
        await compact().catch(() => undefined);
      }
    },

    async read() {
      try {
        let fields: Record<string, number> = {};
        for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
          const base = await readBase();
          // The live log first, then the set-aside one: if a compaction renames the live log in
          // between, both reads see the same file (same inode) and it is counted once.
          const live = await readLog(logPath);
          const aside = base.aside ? await readLog(join(root, base.aside)) : undefined;
          fields = { ...base.fields };
          if (aside) sumLines(aside.text, fields);
          if (live && live.ino !== aside?.ino) sumLines(live.text, fields);
          if ((await readBase()).generation === base.generation) break;
        }
        return fields;
      } catch (error) {
        throw fileStoreError('read statistics', root, error);
      }
    },

    async reset() {
      try {
        await ensureDirectory();
        const release = await acquireLock(lockPath, { staleMs: STALE_LOCK_MS, waitMs: STALE_LOCK_MS * 1.5 });
        if (!release) throw new Error(`${lockPath} is held by another process`);
        try {
          const base = await readBase();
          const discarded = `deltas.${randomBytes(8).toString('hex')}.log`;
          await rename(logPath, join(root, discarded)).catch(ignoreMissing);
          await writeBase({ generation: base.generation + 1, fields: {}, aside: null, compactedAt: 0 });
          await removeUnreferencedLogs(null);
        } finally {
          await release();
        }
      } catch (error) {
        throw fileStoreError('reset statistics', root, error);
      }
    },

    async removeStrayFiles(olderThanMs) {
      let removed = 0;
      let names: string[];
      try {
        names = await readdir(root);
      } catch (error) {
        if (isMissing(error)) return 0;
        throw error;
      }
      for (const name of names) {
        if (!STRAY_NAME.test(name)) continue;
        const path = join(root, name);
        try {
          if (Date.now() - (await stat(path)).mtimeMs < olderThanMs) continue;
          await unlink(path);
          removed++;
        } catch {
          // Gone already, or not ours to remove: housekeeping never fails the caller.
        }
      }
      return removed;
    },
  };
}

async function readLog(path: string): Promise<LogRead | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    const { ino } = await handle.stat();
    return { ino, text: await handle.readFile('utf8') };
  } finally {
    await handle.close();
  }
}

/** Adds every complete line's deltas to `fields`. Unfinished or damaged lines are skipped. */
function sumLines(text: string, fields: Record<string, number>): void {
  const end = text.lastIndexOf('\n');
  for (const line of text.slice(0, end + 1).split('\n')) {
    if (line === '') continue;
    let deltas: unknown;
    try {
      deltas = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof deltas !== 'object' || deltas === null || Array.isArray(deltas)) continue;
    for (const [field, value] of Object.entries(deltas)) {
      if (typeof value === 'number' && Number.isFinite(value)) fields[field] = (fields[field] ?? 0) + value;
    }
  }
}

function parseBase(text: string): Base {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return emptyBase(); // written by rename, so only a foreign hand can damage it; start over
  }
  if (typeof parsed !== 'object' || parsed === null) return emptyBase();
  const base = parsed as Partial<Base>;
  const fields: Record<string, number> = {};
  if (typeof base.fields === 'object' && base.fields !== null) {
    for (const [field, value] of Object.entries(base.fields)) {
      if (typeof value === 'number' && Number.isFinite(value)) fields[field] = value;
    }
  }
  return {
    generation: typeof base.generation === 'number' ? base.generation : 0,
    fields,
    aside: typeof base.aside === 'string' && ASIDE_NAME.test(base.aside) ? base.aside : null,
    compactedAt: typeof base.compactedAt === 'number' ? base.compactedAt : 0,
  };
}

function emptyBase(): Base {
  return { generation: 0, fields: {}, aside: null, compactedAt: 0 };
}

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) throw error;
}
