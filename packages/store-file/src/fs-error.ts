import { StoreUnavailableError } from '@prompt-cache/core/store-kit';
import { errorCode } from './layout.js';

const ADVICE: Record<string, string> = {
  EACCES: 'permission denied; make it writable or pass another `directory`',
  EPERM: 'operation not permitted; make it writable or pass another `directory`',
  EROFS: 'the file system is read-only; pass a writable `directory`',
  ENOSPC: 'no space left on the device; free some space or lower `maxBytes`',
  EDQUOT: 'disk quota exceeded; free some space or lower `maxBytes`',
  ENOTDIR: 'part of the path is a file, not a directory; pass another `directory`',
  EEXIST: 'part of the path is a file, not a directory; pass another `directory`',
  EMFILE: 'too many open files; raise the limit (ulimit -n) or lower the concurrency',
};

/**
 * A one-line {@link StoreUnavailableError} that names the directory and the fix, e.g.
 * `[store-file] cannot write cache entries in /var/cache/app (EACCES: permission denied; make it writable ...)`.
 */
export function fileStoreError(action: string, directory: string, error: unknown): StoreUnavailableError {
  const code = errorCode(error);
  const detail = (code && ADVICE[code]) ?? (error instanceof Error ? error.message : String(error));
  const where = oneLine(directory);
  return new StoreUnavailableError(
    `[store-file] cannot ${action} in ${where} (${code ? `${code}: ` : ''}${oneLine(detail)})`,
    { cause: error },
  );
}

function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we replace
  return text.replace(/[\u0000-\u001f]+/g, ' ');
}
