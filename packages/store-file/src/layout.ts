import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

// The on-disk layout of a file store, in one place:
//   <directory>/entries/<first 2 hex of sha256(key)>/<sha256(key) hex>.entry   one file per entry
//   <directory>/entries/<shard>/<hash>.entry.<pid>-<random>.tmp              a write in progress
//   <directory>/stats/...                                                    persistent statistics
// Only names that match these patterns are ever removed; anything else in the directory is left alone.

/** Subdirectory that holds the entry shards. */
export const ENTRIES_DIRECTORY = 'entries';
/** Subdirectory that holds the persistent statistics. */
export const STATS_DIRECTORY = 'stats';
/** Hex characters of the hash that name an entry's shard directory. */
export const SHARD_LENGTH = 2;

const SHARD_NAME = /^[0-9a-f]{2}$/;
const ENTRY_NAME = /^([0-9a-f]{64})\.entry$/;
const TEMP_NAME = /^[0-9a-f]{64}\.entry\.\d+-[0-9a-f]{8}\.tmp$/;

/** sha256 of the key's UTF-8 bytes, in hex: the entry's file name, whatever characters the key holds. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The shard directory of a hash. */
export function shardDirectory(directory: string, hash: string): string {
  return join(directory, ENTRIES_DIRECTORY, hash.slice(0, SHARD_LENGTH));
}

/** The entry file of a hash. */
export function entryFile(directory: string, hash: string): string {
  return join(shardDirectory(directory, hash), `${hash}.entry`);
}

/** An entry file found by a scan. */
export interface EntryFile {
  path: string;
  hash: string;
}

/** Everything of ours a scan found under `entries/`. */
export interface EntriesScan {
  entries: EntryFile[];
  /** Temporary files of writes in progress, or left behind by a crash. */
  temps: string[];
}

/** Lists the entry files and temporary files under `entries/`, ignoring every other name. */
export async function scanEntries(directory: string): Promise<EntriesScan> {
  const root = join(directory, ENTRIES_DIRECTORY);
  const scan: EntriesScan = { entries: [], temps: [] };
  const shards = await listDirectory(root);
  await Promise.all(
    shards
      .filter((shard) => shard.isDirectory() && SHARD_NAME.test(shard.name))
      .map(async (shard) => {
        const shardPath = join(root, shard.name);
        for (const file of await listDirectory(shardPath)) {
          if (!file.isFile()) continue;
          const entry = ENTRY_NAME.exec(file.name);
          if (entry?.[1]?.startsWith(shard.name))
            scan.entries.push({ path: join(shardPath, file.name), hash: entry[1] });
          else if (TEMP_NAME.test(file.name) && file.name.startsWith(shard.name))
            scan.temps.push(join(shardPath, file.name));
        }
      }),
  );
  return scan;
}

async function listDirectory(path: string): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** True for errors that mean "there is nothing at this path". */
export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The `code` of a Node.js system error, if any. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
