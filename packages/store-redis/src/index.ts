export {
  BreakerOpenError,
  type BreakerSnapshot,
  type BreakerState,
  type CircuitBreaker,
} from './circuit-breaker.js';
export type { RedisStoreOptions } from './options.js';
export { createRedisStore, type RedisStore } from './redis-store.js';
