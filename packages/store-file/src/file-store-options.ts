import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { type Clock, InvalidOptionError, systemClock } from '@prompt-cache/core';

export interface FileStoreOptions {
  /**
   * Directory that holds the entries (`entries/`) and the statistics (`stats/`). It is created on
   * the first write. Nothing else in it is ever touched, so it may be shared with other files.
   * Default `$XDG_CACHE_HOME/prompt-cache`, else `~/.cache/prompt-cache`.
   * @example createFileStore({ directory: '.cache/answers' })
   */
  directory?: string;
  /**
   * Most entry files kept. When a write goes over, the least recently used entries (oldest
   * modification time; hits refresh it) are removed. `Infinity` turns the limit off. Default `100_000`.
   */
  maxEntries?: number;
  /**
   * Most bytes of entry files kept (file sizes, header and key included). When a write goes over, the
   * least recently used entries are removed; a single entry larger than this is not stored.
   * `Infinity` turns the limit off. Default `1_073_741_824` (1 GiB).
   */
  maxBytes?: number;
  /** Time source for expiry checks. Default the system clock. */
  clock?: Clock;
  /**
   * Keep statistics in the directory (the `stats` capability), so that every process and every later
   * run sees the totals in `cache.snapshot()`. Default `true`.
   */
  persistStats?: boolean;
  /** Permissions of new entry files (before the umask). Default `0o600`: only their owner reads them. */
  fileMode?: number;
  /** Permissions of the directories the store creates (before the umask). Default `0o700`. */
  directoryMode?: number;
}

/** Options after defaults and validation. */
export interface ResolvedFileStoreOptions {
  directory: string;
  maxEntries: number;
  maxBytes: number;
  clock: Clock;
  persistStats: boolean;
  fileMode: number;
  directoryMode: number;
}

/** The most bytes read from one entry file, whatever `maxBytes` says: 1 GiB. */
export const MAX_ENTRY_READ_BYTES = 1_073_741_824;

/** Default `maxEntries`. */
export const DEFAULT_MAX_ENTRIES = 100_000;
/** Default `maxBytes`: 1 GiB. */
export const DEFAULT_MAX_BYTES = 1_073_741_824;

/**
 * The default directory: `$XDG_CACHE_HOME/prompt-cache` when that variable holds an absolute path
 * (the XDG spec says to ignore relative ones), else `~/.cache/prompt-cache`.
 */
export function defaultFileStoreDirectory(environment: NodeJS.ProcessEnv = process.env): string {
  const xdg = environment.XDG_CACHE_HOME;
  return xdg && isAbsolute(xdg) ? join(xdg, 'prompt-cache') : join(homedir(), '.cache', 'prompt-cache');
}

/** Applies defaults and rejects options that cannot work, with an {@link InvalidOptionError}. */
export function resolveFileStoreOptions(options: FileStoreOptions): ResolvedFileStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError(`[store-file] options must be an object; got ${describe(options)}`);
  }
  const { directory, clock, persistStats } = options;
  if (
    directory !== undefined &&
    (typeof directory !== 'string' || directory.trim() === '' || directory.includes('\0'))
  ) {
    throw new InvalidOptionError(
      `[store-file] directory must be a non-empty path; got ${describe(directory)}`,
    );
  }
  if (clock !== undefined && typeof clock?.now !== 'function') {
    throw new InvalidOptionError(
      `[store-file] clock must have a now() method returning epoch ms; got ${describe(clock)}`,
    );
  }
  if (persistStats !== undefined && typeof persistStats !== 'boolean') {
    throw new InvalidOptionError(
      `[store-file] persistStats must be true or false; got ${describe(persistStats)}`,
    );
  }
  return {
    directory: resolve(directory ?? defaultFileStoreDirectory()),
    maxEntries: limit('maxEntries', options.maxEntries, DEFAULT_MAX_ENTRIES),
    maxBytes: limit('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES),
    clock: clock ?? systemClock,
    persistStats: persistStats ?? true,
    fileMode: mode('fileMode', options.fileMode, 0o600),
    directoryMode: mode('directoryMode', options.directoryMode, 0o700),
  };
}

function mode(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0o777) return value as number;
  throw new InvalidOptionError(
    `[store-file] ${name} must be permission bits from 0 to 0o777, e.g. 0o600; got ${describe(value)}`,
  );
}

function limit(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && (value as number) >= 1))
    return value as number;
  throw new InvalidOptionError(
    `[store-file] ${name} must be a whole number >= 1 (or Infinity for no limit); got ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return typeof value === 'function' ? 'a function' : String(value);
}
