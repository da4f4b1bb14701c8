import { randomBytes } from 'node:crypto';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { errorCode, isMissing } from './layout.js';

/** Releases a held lock. Releasing twice is harmless. */
export type ReleaseLock = () => Promise<void>;

export interface FileLockOptions {
  /** A lock file older than this is taken to be left behind by a crashed holder and broken. */
  staleMs: number;
}

/**
 * A lock file created with O_EXCL (`wx`): whoever creates it holds the lock. It holds a unique token,
 * so a holder only ever removes its own lock. A lock whose file is older than `staleMs` is broken:
 * it is renamed aside and removed only when the renamed file is still the stale one (same inode);
 * otherwise it is linked back, so a fresh lock taken in the meantime survives.
 * Critical sections must be much shorter than `staleMs`.
 */
export async function tryLock(path: string, options: FileLockOptions): Promise<ReleaseLock | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = `${process.pid}@${hostname()} ${randomBytes(8).toString('hex')}`;
    try {
      await writeFile(path, token, { flag: 'wx' });
      return () => releaseLock(path, token);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    if (!(await breakIfStale(path, options.staleMs))) return undefined;
  }
  return undefined;
}

/** Waits for the lock, retrying every few milliseconds, for at most `waitMs`. */
export async function acquireLock(
  path: string,
  options: FileLockOptions & { waitMs: number },
): Promise<ReleaseLock | undefined> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const release = await tryLock(path, options);
    if (release || Date.now() >= deadline) return release;
    await delay(5 + Math.random() * 20);
  }
}

async function releaseLock(path: string, token: string): Promise<void> {
  try {
    if ((await readFile(path, 'utf8')) === token) await unlink(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

/** Removes the lock file when it is stale. Returns true when the lock is gone (or already was). */
async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  let before: Awaited<ReturnType<typeof stat>>;
  try {
    before = await stat(path);
  } catch (error) {
    if (isMissing(error)) return true;
    throw error;
  }
  if (Date.now() - before.mtimeMs < staleMs) return false;
  const aside = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isMissing(error)) return true;
    throw error;
  }
  const moved = await stat(aside);
  if (moved.ino === before.ino && moved.dev === before.dev) {
    await unlink(aside).catch(() => undefined);
    return true;
  }
  // Someone broke the stale lock and took a fresh one between our stat and rename: put theirs back.
  await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
  return false;
}
