import type { CacheStore } from '../store.js';

/**
 * A store whose every read and write fails, as when Redis is down: for checking that a cache failure never fails
 * the caller's model call (the answer still comes back, and the failure is counted).
 */
export function createFailingStore(message = 'store down'): CacheStore {
  const fail = async (): Promise<never> => {
    throw new Error(message);
  };
  return { name: 'failing', get: fail, set: fail, delete: async () => false, clear: async () => 0 };
}
