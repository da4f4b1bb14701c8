export {
  BreakerOpenError,
  type BreakerSnapshot,
  type BreakerState,
  type CircuitBreaker,
} from './circuit-breaker.js';
export type { RedisStoreOptions } from './options.js';
export { createRedisStore, type RedisStore } from './redis-store.js';
export { DEFAULT_REDIS_URL, parseRedisUrl, type RedisUrl } from './redis-url.js';
export type { NearCacheState } from './tracking.js';
