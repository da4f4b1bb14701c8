import { clientGone } from './client-gone.js';
import type { HttpResponse } from './http-types.js';

/**
 * Writes one chunk of a streamed answer, waiting for the client to drain it when Node's buffer is full.
 * Resolves `false` when the client went away (nothing more should be written).
 */
export async function writeChunk(response: HttpResponse, chunk: Uint8Array | string): Promise<boolean> {
  if (clientGone(response) || response.writableEnded) return false;
  if ((response as { write(chunk: Uint8Array | string): boolean }).write(chunk)) return true;
  return drainedOrClosed(response);
}

/** Resolves `true` on `drain`, `false` on `close`, and leaves no listener behind. */
export function drainedOrClosed(response: HttpResponse): Promise<boolean> {
  const emitter = response as NodeJS.EventEmitter;
  if (clientGone(response)) return Promise.resolve(false); // its `close` may have been emitted already
  return new Promise((resolve) => {
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    const finish = (drained: boolean) => {
      emitter.off('drain', onDrain);
      emitter.off('close', onClose);
      resolve(drained);
    };
    emitter.on('drain', onDrain);
    emitter.on('close', onClose);
  });
}
