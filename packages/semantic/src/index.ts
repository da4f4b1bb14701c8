export {
  type ClusterEvaluation,
  type ClusterEvaluationOptions,
  countDecisions,
  evaluateClusters,
  type ScoredClusters,
  scoreClusters,
} from './cluster-eval.js';
export {
  type CandidateVerdict,
  DEFAULT_MARGIN,
  DEFAULT_THRESHOLD,
  type Decision,
  type DecisionOptions,
  decide,
} from './decision.js';
export type { Embedder } from './embedder.js';
export { FILE_INDEX_VERSION, type FileIndexOptions, fileIndex } from './file-index.js';
export {
  contradictionOf,
  DEFAULT_GUARD_RULES,
  entityRule,
  type GuardRule,
  negationRule,
  numberRule,
  OPPOSITES,
  oppositeRule,
} from './guard.js';
export type { IndexStorage, IndexStorageContext } from './index-storage.js';
export type { IndexStorageSource } from './index-storage-source.js';
export {
  type RedisIndexClient,
  type RedisIndexOptions,
  type RedisIndexSource,
  redisIndex,
} from './redis-index.js';
export {
  type IndexedPrompt,
  type PreparedQuery,
  type ScoredPrompt,
  SemanticIndex,
  type SemanticIndexOptions,
} from './semantic-index.js';
export {
  createSemanticStage,
  type SemanticCache,
  type SemanticCounters,
  type SemanticExplanation,
  type SemanticOptions,
  type SplitRequest,
} from './semantic-stage.js';
export { createUseLiteEmbedder, type UseLiteEmbedderOptions } from './use-lite-embedder.js';
