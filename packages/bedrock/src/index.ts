// The user's surface: the middleware, its options and controller, per-call controls and what a call reports.
// Bedrock's own prompt cache (cachePoint placement) has a subpath of its own: `@prompt-cache/bedrock/cache-points`.
export { type CacheControl, withCacheControl } from './cache-control.js';
export { type CacheInfo, cacheInfo, type NotStoredReason } from './cache-info.js';
export { type ConverseKeyMaterial, converseKeyMaterial } from './converse-key.js';
export type { PricingOption } from './entry-meta.js';
export { StreamInterruptedError } from './errors.js';
export { invokeKeyMaterial } from './invoke-key.js';
export { MIDDLEWARE_NAME } from './middleware.js';
export { BEDROCK_OPERATIONS, type BedrockOperation } from './operations.js';
export type { RecordedEvent, RecordedResponse } from './recorded-response.js';
export { createResponseCodec } from './response-codec.js';
export type { BedrockSemanticOption } from './semantic-option.js';
export type { ReplayPacing } from './stream-replay.js';
export type { CachedAnswer } from './unary-send.js';
export {
  type BedrockCacheController,
  type BedrockCacheOptions,
  withPromptCache,
} from './with-prompt-cache.js';
