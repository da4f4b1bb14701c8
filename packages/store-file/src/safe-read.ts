import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { errorCode } from './layout.js';

/**
 * What sits at an entry path is not an entry file we could have written: a symbolic link, a FIFO, a device, a
 * directory, or a file larger than any entry. The caller removes it and reports a corrupt entry.
 */
export class NotAnEntryFileError extends Error {}

// No link is followed (a link could point outside the cache), and opening never blocks (a FIFO would
// wait for a writer forever, holding up every file access of the process).
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them; `undefined` when nothing is there.
 * @throws {NotAnEntryFileError} for a link, anything but a regular file, or a file over `maxBytes`.
 */
export async function readEntryBytes(path: string, maxBytes: number): Promise<Buffer | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK')
      throw new NotAnEntryFileError('a symbolic link, not an entry file');
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotAnEntryFileError('not a regular file');
    if (info.size > maxBytes) throw new NotAnEntryFileError(`larger than ${maxBytes} bytes`);
    // Read at most one byte over the size seen: a file that grows meanwhile is refused, not read without end.
    const buffer = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    while (length < buffer.byteLength) {
      const { bytesRead } = await handle.read(buffer, length, buffer.byteLength - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > info.size) throw new NotAnEntryFileError('it grew while it was read');
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
