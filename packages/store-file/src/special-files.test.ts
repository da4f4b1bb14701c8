import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CacheEntry } from '@prompt-cache/core';
import { CorruptEntryError, ENTRY_SCHEMA_VERSION } from '@prompt-cache/core/store-kit';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../test/temp-directory.js';
import { createFileStore } from './file-store.js';

function entryOf(value: string): CacheEntry {
  return { version: ENTRY_SCHEMA_VERSION, value, createdAt: 0, expiresAt: null, meta: {} };
}

/** A store with one entry written, and the path of that entry's file. */
async function storeWithEntry(options: Record<string, unknown> = {}) {
  const directory = temporaryDirectory();
  const store = createFileStore({ directory, persistStats: false, ...options });
  await store.set('key-1', entryOf('the real answer'));
  return { directory, store, path: store.entryPath('key-1') };
}

describe('what sits at an entry path is never trusted', () => {
  it('does not follow a symbolic link out of the cache directory; the link is removed, its target kept', async () => {
    const { directory, store, path } = await storeWithEntry();
    const outside = join(directory, '..', `outside-${process.pid}-${Date.now()}`);
    writeFileSync(outside, readFileSync(path));
    rmSync(path);
    symlinkSync(outside, path);
    await expect(store.get('key-1')).rejects.toThrow(CorruptEntryError);
    expect(() => lstatSync(path)).toThrow(/ENOENT/);
    expect(readFileSync(outside).length).toBeGreaterThan(0);
    rmSync(outside);
  });

  it('does not hang on a FIFO at an entry path', async () => {
    const { store, path } = await storeWithEntry();
    rmSync(path);
    execFileSync('mkfifo', [path]);
    await expect(store.get('key-1')).rejects.toThrow(/not a regular file/);
    await store.set('key-2', entryOf('still working'));
    expect((await store.get('key-2'))?.value).toBe('still working');
  });

  it('refuses a link to /dev/zero, and a device as an entry', async () => {
    const { store, path } = await storeWithEntry();
    rmSync(path);
    symlinkSync('/dev/zero', path);
    await expect(store.get('key-1')).rejects.toThrow(/symbolic link/);
  });

  it('reads no more than maxBytes of an entry file', async () => {
    const { store, path } = await storeWithEntry({ maxBytes: 4096 });
    writeFileSync(path, Buffer.alloc(10_000, 1));
    await expect(store.get('key-1')).rejects.toThrow(/larger than 4096 bytes/);
  });

  it('creates entry files 0600 and directories 0700 by default, or as configured', async () => {
    const previous = process.umask(0o022);
    try {
      const { directory, path } = await storeWithEntry();
      expect(statSync(path).mode & 0o777).toBe(0o600);
      for (
        let folder = dirname(path);
        folder.startsWith(directory) && folder !== directory;
        folder = dirname(folder)
      )
        expect(statSync(folder).mode & 0o777).toBe(0o700);
      const shared = await storeWithEntry({ fileMode: 0o640, directoryMode: 0o750 });
      expect(statSync(shared.path).mode & 0o777).toBe(0o640);
      expect(statSync(dirname(shared.path)).mode & 0o777).toBe(0o750);
      mkdirSync(join(directory, 'unrelated'), { recursive: true });
    } finally {
      process.umask(previous);
    }
  });

  it('refuses permission bits that are not bits', () => {
    expect(() => createFileStore({ fileMode: 0o1000 })).toThrow(/fileMode must be permission bits/);
  });
});
