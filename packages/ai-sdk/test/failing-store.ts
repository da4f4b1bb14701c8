import type { CacheStore } from '@prompt-cache/core';

/** A store whose every read and write fails, as when Redis is down: the model call must still answer. */
export const failingStore: CacheStore = {
  name: 'failing',
  get: async () => {
    throw new Error('store down');
  },
  set: async () => {
    throw new Error('store down');
  },
  delete: async () => false,
  clear: async () => 0,
};
