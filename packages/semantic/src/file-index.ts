import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidOptionError } from '@prompt-cache/core';
import {
  encodePrompt,
  type IndexStorage,
  type IndexStorageContext,
  namespaceSuffix,
  reportOnce,
  restorePrompt,
} from './index-storage.js';

/** Options of {@link fileIndex}. */
export interface FileIndexOptions {
  /** Changes are saved at most this long after they happen (and on `flush()` / `close()`). Default `1000` ms. */
  saveDelayMs?: number;
  /**
   * Keeps the prompts of one cache namespace in a file of their own,
   * `semantic-index.<embedder id>.<namespace>.jsonl`: a process serving many namespaces (the gateway) loads each
   * one's index with that namespace, and no other's prompts. Default: one file for every namespace.
   */
  namespace?: string;
}

const FORMAT = 'prompt-cache/semantic-index';
/** Bump when the layout of the file changes: an index file of another version is rebuilt. */
export const FILE_INDEX_VERSION = 1;

/**
 * Keeps the index in a file beside the entries of a file store: `<directory>/semantic-index.<embedder>.jsonl`,
 * written atomically (temporary file + rename, mode 0600) and read on start. A corrupt, truncated or outdated file
 * is reported once and rebuilt from the answers stored from then on: it is only an index, the entries stay.
 * Processes sharing the directory merge: before a save, entries another process saved are taken in.
 * @example createSemanticStage({ split, persist: fileIndex(store.directory) })
 * @example persist: fileIndex(store, { namespace: 'tenant-a' }) // semantic-index.use-lite-512.tenant-a.jsonl
 */
export function fileIndex(
  directory: string | { directory: string },
  options: FileIndexOptions = {},
): IndexStorage {
  const root = typeof directory === 'string' ? directory : directory?.directory;
  if (typeof root !== 'string' || root.trim() === '') {
    throw new InvalidOptionError(
      '[semantic] fileIndex needs the file store or its directory, e.g. fileIndex(store.directory)',
    );
  }
  const saveDelayMs = options.saveDelayMs ?? 1000;
  const scope = namespaceSuffix(options.namespace, 'fileIndex');
  let path = '';
  let context: IndexStorageContext | undefined;
  let failures: ReturnType<typeof reportOnce> | undefined;
  /** Size and modification time of the file as this process last read or wrote it: a change means another writer. */
  let known = '';
  let dirty = false;
  /** Keys this process dropped since its last save: another process's copy of them is not taken back in. */
  let dropped = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();

  /** The saved prompts, or the reason the file is not a readable index (`undefined` when there is no file). */
  const read = async (): Promise<{ lines: string[] } | { problem: string } | undefined> => {
    let text: string;
    // Stat first: a file replaced between the two is then read again at the next save, never missed.
    const before = await fingerprint();
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return { problem: (error as Error).message };
    }
    known = before;
    const newline = text.indexOf('\n');
    let header: { format?: unknown; version?: unknown; entries?: unknown; sha256?: unknown };
    try {
      header = JSON.parse(newline < 0 ? text : text.slice(0, newline));
    } catch {
      return { problem: 'its header is not JSON' };
    }
    if (header?.format !== FORMAT) return { problem: 'it is not a semantic index' };
    if (header.version !== FILE_INDEX_VERSION) {
      return { problem: `it has version ${String(header.version)}, this code reads ${FILE_INDEX_VERSION}` };
    }
    const body = newline < 0 ? '' : text.slice(newline + 1);
    if (header.sha256 !== digest(body)) return { problem: 'it is truncated or damaged (checksum)' };
    const lines = body === '' ? [] : body.slice(0, -1).split('\n');
    if (lines.length !== header.entries) return { problem: 'its entry count does not match' };
    return { lines };
  };

  /**
   * Adds the saved prompts the index lacks; those dropped here since the last save stay out. Returns how many
   * lines were not entries (a vector of another length is not one: it belongs to another embedder's index).
   */
  const absorb = (lines: string[]) => {
    const { index } = context!;
    let malformed = 0;
    for (const line of lines) {
      try {
        const [partition, key, record] = JSON.parse(line) as [string, string, unknown];
        if (typeof partition !== 'string' || typeof key !== 'string') throw new TypeError('not an entry');
        if (index.has(partition, key) || dropped.has(`${partition}:${key}`)) continue;
        if (!restorePrompt(index, partition, key, record)) malformed++;
      } catch {
        malformed++;
      }
    }
    return malformed;
  };

  const fingerprint = async () => {
    try {
      const { size, mtimeMs } = await stat(path);
      return `${size}:${mtimeMs}`;
    } catch {
      return '';
    }
  };

  const save = async () => {
    if (!dirty || !context) return;
    dirty = false;
    const droppedNow = dropped;
    try {
      if ((await fingerprint()) !== known) {
        const saved = await read();
        if (saved && 'lines' in saved) absorb(saved.lines);
      }
      dropped = new Set();
      const lines: string[] = [];
      for (const { partition, prompt, vector } of context.index.entries()) {
        lines.push(`${JSON.stringify([partition, prompt.key, encodePrompt(prompt, vector)])}\n`);
      }
      const body = lines.join('');
      const header = {
        format: FORMAT,
        version: FILE_INDEX_VERSION,
        entries: lines.length,
        sha256: digest(body),
      };
      const { writeFileAtomic } = await import('@prompt-cache/store-file');
      await mkdir(root, { recursive: true, mode: 0o700 });
      await writeFileAtomic(path, `${JSON.stringify(header)}\n${body}`);
      known = await fingerprint();
      failures!.recovered();
    } catch (error) {
      // Keep what was not saved for the next attempt.
      dirty = true;
      for (const key of droppedNow) dropped.add(key);
      failures!.failed(
        new Error(`[semantic] could not save the index to ${path}: ${(error as Error).message}`),
      );
    }
  };

  const saveSoon = () => {
    dirty = true;
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      saving = saving.then(save);
    }, saveDelayMs);
    timer.unref?.();
  };

  const saveNow = () => {
    clearTimeout(timer);
    timer = undefined;
    saving = saving.then(save);
    return saving;
  };

  return {
    get name() {
      return `file ${path || resolve(root)}`;
    },
    async open(opened) {
      context = opened;
      failures = reportOnce(opened.report);
      path = join(resolve(root), `semantic-index.${fileSafe(opened.embedderId)}${scope}.jsonl`);
      const saved = await read();
      if (saved && 'problem' in saved) {
        opened.report(
          new Error(
            `[semantic] the index file ${path} is unreadable (${saved.problem}); rebuilding it from new answers`,
          ),
        );
        dirty = true; // the next save replaces it
        return;
      }
      const malformed = saved ? absorb(saved.lines) : 0;
      if (malformed > 0) {
        opened.report(
          new Error(
            `[semantic] the index file ${path} holds ${malformed} malformed entries; they are left out`,
          ),
        );
        dirty = true;
      }
    },
    added: saveSoon,
    removed(partition, key) {
      dropped.add(`${partition}:${key}`);
      saveSoon();
    },
    flush: saveNow,
    close: saveNow,
  };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** An embedder id as a file name part: anything but letters, digits, dot, dash and underscore becomes `_`. */
function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
