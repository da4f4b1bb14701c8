export { type KeyMaterial, keyMaterialOf } from './key-material.js';
export {
  type PromptCacheMiddleware,
  type PromptCacheMiddlewareOptions,
  promptCacheMiddleware,
} from './middleware.js';
