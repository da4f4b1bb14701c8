import type { HttpRequest } from './http-types.js';

/** How much of a request body {@link readBody} keeps, and the errors it refuses one with. */
export interface BodyLimit {
  maxBytes: number;
  /**
   * The error for a body over `maxBytes`: `size` when it is known, and `closeConnection` when the rest of the
   * body was not read (it is too large even to discard), so the connection must not be reused.
   */
  tooLarge(size: number | undefined, closeConnection: boolean): Error;
  /** The error for a request the client closed before its body ended. */
  cutShort(): Error;
}

/** Past the limit a body is still read and thrown away up to this size, so the connection stays usable. */
export function discardLimitOf(maxBytes: number): number {
  return Math.max(maxBytes * 4, 8 * 1_048_576);
}

/**
 * Reads a request body up to `limit.maxBytes`. A body over the limit is read to its end and thrown away (up to
 * {@link discardLimitOf}), then refused; a `content-length` beyond what is worth discarding is refused at once.
 */
export function readBody(request: HttpRequest, limit: BodyLimit): Promise<Buffer> {
  const { maxBytes } = limit;
  const declared = Number(request.headers['content-length']);
  const discardLimit = discardLimitOf(maxBytes);
  if (Number.isFinite(declared) && declared > discardLimit) {
    return Promise.reject(limit.tooLarge(declared, true));
  }
  // Events rather than `for await`: leaving a `for await` early destroys the request, and with it the socket
  // the refusal must still be written to.
  const stream = request as NodeJS.ReadableStream & { readableEnded?: boolean };
  if (stream.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > discardLimit) {
        cleanup();
        stream.pause();
        reject(limit.tooLarge(undefined, true));
        return;
      }
      if (size <= maxBytes) chunks.push(buffer);
    };
    const onEnd = (): void => {
      cleanup();
      if (size > maxBytes) reject(limit.tooLarge(size, false));
      // A body that came in one chunk (most do) is handed out as it is, not copied.
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      reject(limit.cutShort());
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
