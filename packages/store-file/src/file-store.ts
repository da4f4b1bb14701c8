import { stat, unlink, utimes } from 'node:fs/promises';
import type { CacheEntry, CacheStore } from '@prompt-cache/core';
import {
  CorruptEntryError,
  isExpired,
  parseStoredEntry,
  type StoreSize,
  serializeEntry,
} from '@prompt-cache/core/store-kit';
import { writeFileAtomic } from './atomic-write.js';
import { createFileStatsBackend, type FileStatsBackend } from './file-stats.js';
import {
  type FileStoreOptions,
  MAX_ENTRY_READ_BYTES,
  resolveFileStoreOptions,
} from './file-store-options.js';
import { fileStoreError } from './fs-error.js';
import { type EntryFile, entryFile, hashKey, isMissing, scanEntries, shardDirectory } from './layout.js';
import { makeDirectory } from './make-directory.js';
import { mapLimit } from './map-limit.js';
import { recencyStamp } from './recency.js';
import { NotAnEntryFileError, readEntryBytes } from './safe-read.js';
import { createSizeLimits, type EvictionReason } from './size-limits.js';

/** A temporary file older than this is taken to be left behind by a crashed writer. */
const STRAY_TEMP_MS = 60_000;
/** How many files bulk operations (keys, clear, prune, size) read at once. */
const BULK_CONCURRENCY = 16;

/** A {@link CacheStore} kept in a directory, one file per entry, with every optional capability. */
export interface FileStore extends CacheStore {
  readonly name: 'file';
  /** The absolute directory this store reads and writes. */
  readonly directory: string;
  get(key: string): Promise<CacheEntry | undefined>;
  /** Statistics shared through the directory; absent when `persistStats` is `false`. */
  readonly stats?: FileStatsBackend;
  /** The file an entry for `key` lives in (whether or not it exists). */
  entryPath(key: string): string;
  keys(prefix?: string): AsyncIterable<string>;
  size(): Promise<StoreSize>;
  /** Removes expired and unreadable entry files, and temporary files left by crashed writers. */
  prune(): Promise<number>;
  onEvict(listener: (key: string, reason: EvictionReason) => void): void;
  /** Waits for eviction work in progress. The store holds no handles or timers between calls. */
  close(): Promise<void>;
}

interface StoredFile {
  key: string;
  entry: CacheEntry;
}

/**
 * A persistent store: one file per entry under `directory/entries/`, named by the SHA-256 of the key,
 * written atomically (temporary file + rename), so neither a crash nor a concurrent writer in another
 * process can leave a torn entry. Entries keep their key and a checksum (core's entry format); an
 * unreadable file is removed and reported as {@link CorruptEntryError}, which the orchestrator counts
 * as an error and a miss. Least recently used entries are evicted at `maxEntries` / `maxBytes`, and
 * statistics persist in `directory/stats/`.
 *
 * @example
 * const cache = createPromptCache({ store: createFileStore({ directory: '.cache/prompt-cache' }) });
 */
export function createFileStore(options: FileStoreOptions = {}): FileStore {
  const { directory, maxEntries, maxBytes, clock, persistStats, fileMode, directoryMode } =
    resolveFileStoreOptions(options);
  // No entry is ever larger than maxBytes (set() keeps nothing larger), so no read needs more.
  const readLimit = Math.min(maxBytes, MAX_ENTRY_READ_BYTES);
  const evictListeners: Array<(key: string, reason: EvictionReason) => void> = [];
  const readyShards = new Set<string>();

  const report = (key: string, reason: EvictionReason) => {
    for (const listener of evictListeners) {
      try {
        listener(key, reason);
      } catch {
        // A listener's failure is its own; the store carries on.
      }
    }
  };

  const limits = createSizeLimits({
    directory,
    maxEntries,
    maxBytes,
    reporting: () => evictListeners.length > 0,
    report,
    readKey: async (path) => {
      try {
        const raw = await readEntryBytes(path, readLimit);
        return raw === undefined ? undefined : parseEntryFile(raw).key;
      } catch {
        return undefined;
      }
    },
  });

  /**
   * The bytes of an entry file; `undefined` when the file does not exist.
   * @throws {NotAnEntryFileError} for a link, a special file or an oversized file at the path.
   */
  const readRaw = async (path: string): Promise<Buffer | undefined> => {
    try {
      return await readEntryBytes(path, readLimit);
    } catch (error) {
      if (isMissing(error)) return undefined;
      if (error instanceof NotAnEntryFileError) throw error;
      throw fileStoreError('read cache entries', directory, error);
    }
  };

  /** Reads and checks an entry file; `undefined` when the file does not exist. */
  const readEntryFile = async (path: string): Promise<StoredFile | undefined> => {
    const raw = await readRaw(path);
    return raw === undefined ? undefined : parseEntryFile(raw);
  };

  const remove = async (path: string): Promise<boolean> => {
    try {
      await unlink(path);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw fileStoreError('remove cache entries', directory, error);
    }
  };

  /** Reads every entry file that is ours, valid and belongs to its name; calls `visit` for each. */
  const visitEntries = async (visit: (file: EntryFile, stored: StoredFile) => Promise<void> | void) => {
    let scan: Awaited<ReturnType<typeof scanEntries>>;
    try {
      scan = await scanEntries(directory);
    } catch (error) {
      throw fileStoreError('list cache entries', directory, error);
    }
    await mapLimit(scan.entries, BULK_CONCURRENCY, async (file) => {
      let stored: StoredFile;
      try {
        const read = await readEntryFile(file.path);
        if (!read) return;
        stored = read;
      } catch {
        return; // unreadable: get() or prune() removes it
      }
      if (hashKey(stored.key) === file.hash) await visit(file, stored);
    });
    return scan;
  };

  const ensureShard = async (hash: string) => {
    const shard = shardDirectory(directory, hash);
    if (readyShards.has(shard)) return;
    await makeDirectory(shard, directoryMode);
    readyShards.add(shard);
  };

  const stats = persistStats ? createFileStatsBackend({ directory, fileMode, directoryMode }) : undefined;

  return {
    name: 'file',
    directory,
    ...(stats ? { stats } : {}),

    entryPath: (key) => entryFile(directory, hashKey(key)),

    async get(key) {
      const hash = hashKey(key);
      const path = entryFile(directory, hash);
      let raw: Buffer | undefined;
      try {
        raw = await readRaw(path);
      } catch (error) {
        if (!(error instanceof NotAnEntryFileError)) throw error;
        await remove(path).catch(() => false); // removes a link itself, never what it points to
        throw new CorruptEntryError(`${path} (${error.message}); it was removed`, { cause: error });
      }
      if (raw === undefined) return undefined;
      const size = raw.byteLength;
      const discard = async () => {
        if (await remove(path).catch(() => false)) limits.removed(size);
      };
      let stored: StoredFile;
      try {
        stored = parseEntryFile(raw);
      } catch (error) {
        await discard();
        throw new CorruptEntryError(`${path} (${reasonOf(error)}); the file was removed`, { cause: error });
      }
      if (stored.key !== key) {
        // Two keys whose UTF-8 bytes are equal (lone surrogates) share a file: a plain miss.
        if (hashKey(stored.key) === hash) return undefined;
        await discard();
        throw new CorruptEntryError(`${path} holds an entry of another key; the file was removed`);
      }
      if (isExpired(stored.entry, clock.now())) {
        await discard();
        return undefined;
      }
      // Recency for LRU eviction: one utimes call, no directory scan.
      const stamp = recencyStamp();
      await utimes(path, stamp, stamp).catch(() => undefined);
      return stored.entry;
    },

    async set(key, entry) {
      const hash = hashKey(key);
      const path = entryFile(directory, hash);
      const data = serializeEntry(entry, key);
      if (data.byteLength > maxBytes) return; // could never fit; like a full memory store, keep nothing
      const previousSize = await limits.sizeBefore(path);
      try {
        await ensureShard(hash);
        await writeFileAtomic(path, data, recencyStamp(), fileMode).catch(async (error) => {
          if (!isMissing(error)) throw error;
          // The shard was removed behind our back (e.g. `rm -rf` of the cache): recreate it once.
          readyShards.clear();
          await ensureShard(hash);
          await writeFileAtomic(path, data, recencyStamp(), fileMode);
        });
      } catch (error) {
        throw fileStoreError('write cache entries', directory, error);
      }
      await limits.afterWrite(path, previousSize, data.byteLength);
    },

    async delete(key) {
      const path = entryFile(directory, hashKey(key));
      const size = await limits.sizeBefore(path);
      const removed = await remove(path);
      if (removed && size !== undefined) limits.removed(size);
      return removed;
    },

    async clear(prefix) {
      let removed = 0;
      await visitEntries(async (file, stored) => {
        if (prefix !== undefined && !stored.key.startsWith(prefix)) return;
        if (await remove(file.path)) removed++;
      });
      limits.invalidate();
      return removed;
    },

    async *keys(prefix) {
      const found: string[] = [];
      const now = clock.now();
      await visitEntries((_file, stored) => {
        if ((prefix === undefined || stored.key.startsWith(prefix)) && !isExpired(stored.entry, now)) {
          found.push(stored.key);
        }
      });
      yield* found;
    },

    async size() {
      let scan: Awaited<ReturnType<typeof scanEntries>>;
      try {
        scan = await scanEntries(directory);
      } catch (error) {
        throw fileStoreError('list cache entries', directory, error);
      }
      const sizes = await mapLimit(scan.entries, BULK_CONCURRENCY * 2, async (file) => {
        try {
          return (await stat(file.path)).size;
        } catch {
          return undefined;
        }
      });
      const present = sizes.filter((size) => size !== undefined);
      return { entries: present.length, bytes: present.reduce((total, size) => total + size, 0) };
    },

    async prune() {
      let scan: Awaited<ReturnType<typeof scanEntries>>;
      try {
        scan = await scanEntries(directory);
      } catch (error) {
        throw fileStoreError('list cache entries', directory, error);
      }
      const now = clock.now();
      const removed = await mapLimit(scan.entries, BULK_CONCURRENCY, async (file) => {
        let stored: StoredFile | undefined;
        try {
          stored = await readEntryFile(file.path);
          if (!stored) return 0;
        } catch (error) {
          if (!(error instanceof CorruptEntryError)) throw error;
          return (await remove(file.path)) ? 1 : 0; // unreadable: a miss forever, so remove it now
        }
        if (hashKey(stored.key) !== file.hash) return (await remove(file.path)) ? 1 : 0;
        if (!isExpired(stored.entry, now) || !(await remove(file.path))) return 0;
        report(stored.key, 'expired');
        return 1;
      });
      const wallClock = Date.now();
      await mapLimit(scan.temps, BULK_CONCURRENCY, async (path) => {
        try {
          if (wallClock - (await stat(path)).mtimeMs >= STRAY_TEMP_MS) await unlink(path);
        } catch {
          // Renamed or removed by its writer meanwhile.
        }
      });
      await stats?.removeStrayFiles(STRAY_TEMP_MS).catch(() => undefined);
      limits.invalidate();
      return removed.reduce((total: number, count) => total + count, 0);
    },

    onEvict(listener) {
      evictListeners.push(listener);
    },

    async close() {
      await limits.idle();
    },
  };
}

/** The reason inside core's CorruptEntryError message, for a message that also names the file. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /unreadable cache entry: (.*); it is treated as a miss$/.exec(message)?.[1] ?? message;
}

/**
 * Parses an entry file with core's checked format and insists on the key inside. Anything else
 * (a foreign file, another version, a wrong checksum, a damaged header) is a {@link CorruptEntryError}.
 */
function parseEntryFile(raw: Buffer): StoredFile {
  let parsed: ReturnType<typeof parseStoredEntry>;
  try {
    parsed = parseStoredEntry(raw);
  } catch (error) {
    if (error instanceof CorruptEntryError) throw error;
    throw new CorruptEntryError('the header is not an entry header', { cause: error });
  }
  const { key, entry } = parsed;
  if (typeof key !== 'string') throw new CorruptEntryError('the file holds no key');
  if (
    typeof entry.createdAt !== 'number' ||
    (entry.expiresAt !== null && typeof entry.expiresAt !== 'number') ||
    typeof entry.meta !== 'object' ||
    entry.meta === null
  ) {
    throw new CorruptEntryError('the header has fields of the wrong type');
  }
  return { key, entry };
}
