import { StoreUnavailableError } from './errors.js';

/** Rejects with a STORE_TIMEOUT error when `promise` takes longer than `milliseconds`. */
export function withTimeout<T>(promise: Promise<T>, milliseconds: number, what: string): Promise<T> {
  if (!(milliseconds > 0) || milliseconds === Number.POSITIVE_INFINITY) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new StoreUnavailableError(`[core] ${what} took longer than ${milliseconds} ms`, { timeout: true }),
        ),
      milliseconds,
    );
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
