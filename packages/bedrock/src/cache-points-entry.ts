// `@prompt-cache/bedrock/cache-points`: Bedrock's own prompt cache, off this package's cache path. It places
// `cachePoint` blocks after a long, stable prefix so that Bedrock reuses its processing of that prefix.
export { type CachePointModel, cachePointModelOf, MAX_CACHE_CHECKPOINTS } from './cache-point-models.js';
export {
  type CachePointDecision,
  type CachePointOptions,
  type CachePointPlan,
  type CachePointSection,
  type CachePointTtl,
  placeCachePoints,
  planCachePoints,
} from './cache-points.js';
