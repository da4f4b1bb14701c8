import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

/**
 * A unique temporary name beside `path`: `<path>.<pid>-<8 hex>.tmp`. Same directory, so the final
 * rename never crosses a file system; unique, so concurrent writers never share a temporary file.
 */
export function temporaryName(path: string): string {
  return `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Writes `data` to `path` so that readers see either the old file or the complete new one, never a
 * part: the bytes go to a unique temporary file in the same directory, which is then renamed over
 * `path` (rename is atomic on POSIX file systems). On failure the temporary file is removed.
 * `mtimeSeconds` sets the file's access and modification times (the store's recency stamp); `mode` its
 * permissions (default `0o600`: readable by its owner only, before the umask).
 * There is no fsync: after a power loss an entry may be missing or empty, and the checksum turns
 * an empty or partial file into a miss.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  mtimeSeconds?: number,
  mode = 0o600,
): Promise<void> {
  const temporary = temporaryName(path);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(data);
      if (mtimeSeconds !== undefined) await handle.utimes(mtimeSeconds, mtimeSeconds);
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
