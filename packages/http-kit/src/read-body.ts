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
    // Settled once; later events change nothing. The listeners are not removed: removing four of them cost a
    // cached answer as much as its cache lookup, and they go with the request once it is answered.
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    stream.on('data', (chunk: Buffer | string): void => {
      if (settled) return;
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > discardLimit) {
        stream.pause();
        fail(limit.tooLarge(undefined, true));
        return;
      }
      if (size <= maxBytes) chunks.push(buffer);
    });
    stream.on('end', (): void => {
      if (settled) return;
      if (size > maxBytes) {
        fail(limit.tooLarge(size, false));
        return;
      }
      settled = true;
      // A body that came in one chunk (most do) is handed out as it is, not copied.
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    stream.on('error', fail);
    // After 'end' (the usual case) nothing, not even an error object; before it, the client went away mid-body.
    stream.on('close', (): void => {
      if (!settled) fail(limit.cutShort());
    });
  });
}
