export type { RedisStoreOptions } from './options.js';
export { createRedisStore, type RedisStore } from './redis-store.js';
