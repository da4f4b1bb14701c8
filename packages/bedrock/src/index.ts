export { type CacheControl, withCacheControl } from './cache-control.js';
export { type CacheInfo, cacheInfo, type NotStoredReason } from './cache-info.js';
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
export {
  type BedrockCacheRequest,
  type CommandLike,
  cacheRequestOf,
  keyMaterialOf,
} from './cache-request.js';
export {
  type CacheabilityOptions,
  notCacheableCode,
  notCacheableReason,
  type StopKind,
  stopKindOf,
} from './cacheability.js';
export { type ConverseKeyMaterial, converseKeyMaterial } from './converse-key.js';
export {
  type CredentialDetection,
  type CredentialSource,
  type DetectCredentialsOptions,
  detectAwsCredentials,
} from './credentials.js';
export type { PricingOption } from './entry-meta.js';
export { StreamAbandonedError, StreamInterruptedError } from './errors.js';
export { invokeKeyMaterial } from './invoke-key.js';
export { MIDDLEWARE_NAME } from './middleware.js';
export { baseModelId } from './model-id.js';
export { BEDROCK_OPERATIONS, type BedrockOperation } from './operations.js';
export type { RecordedEvent, RecordedResponse, ResponseSummary } from './recorded-response.js';
export {
  type Provider,
  type ProviderChoice,
  type ProviderRequest,
  resolveProvider,
} from './resolve-provider.js';
export { createResponseCodec } from './response-codec.js';
export {
  type BedrockSemantic,
  type BedrockSemanticOption,
  createBedrockSemantic,
} from './semantic-option.js';
export { answerTextOf, splitConverse } from './semantic-split.js';
export { type ReplayOptions, type ReplayPacing, replayEvents, type Sleep } from './stream-replay.js';
export type { CachedAnswer } from './unary-send.js';
export {
  type BedrockCacheController,
  type BedrockCacheOptions,
  type MiddlewareStackOwner,
  withPromptCache,
} from './with-prompt-cache.js';
