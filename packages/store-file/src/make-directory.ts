import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode } from './layout.js';

/**
 * `mkdir -p` that reports the real cause: Node's recursive mkdir says ENOENT on a read-only file system, so on
 * ENOENT the missing levels are made one by one, and the first failure carries the true code (EROFS, EACCES).
 */
export async function makeDirectory(path: string, mode?: number): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode });
  } catch (error) {
    const parent = dirname(path);
    if (errorCode(error) !== 'ENOENT' || parent === path) throw error;
    await makeDirectory(parent, mode);
    await mkdir(path, mode).catch((levelError: unknown) => {
      if (errorCode(levelError) !== 'EEXIST') throw levelError;
    });
  }
}
