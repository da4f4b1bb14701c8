export {
  type LangChainCacheOptions,
  type LangChainCacheRequest,
  PromptCacheLangChainCache,
} from './langchain-cache.js';
