export { DEFAULT_REDIS_URL } from '@prompt-cache/store-redis';
export type {
  AppSession,
  AskOptions,
  AskRequest,
  AskResult,
  AskStream,
  AskUsage,
  CacheErrorEvent,
  CacheOutcome,
} from './app-session.js';
export { textOf } from './ask.js';
export {
  type ConverseInput,
  converseInputFor,
  DEFAULT_MAX_REQUEST_BYTES,
  type PromptInputOptions,
  parseWarmFile,
  promptOf,
  type ReadRequestOptions,
  readRequestFile,
  validateConverseInput,
  type WarmLine,
} from './converse-input.js';
export { createKeyInspector, type KeyInspector, type KeyInspectorOptions } from './key-inspector.js';
export {
  describeListenError,
  type LocalSimulator,
  type LocalSimulatorOptions,
  startLocalSimulator,
} from './local-simulator.js';
export {
  type ConnectModelOptions,
  chooseProvider,
  connectModel,
  FALLBACK_REGION,
  type ModelConnection,
  type Provider,
} from './model-client.js';
export { openSession, type SessionOptions } from './session.js';
export {
  type AppSettings,
  CACHE_TYPES,
  type CacheType,
  DEFAULT_APP_TTL_SECONDS,
  DEFAULT_MODEL,
  DEFAULT_NAMESPACE,
  ENVIRONMENT_VARIABLES,
  PROVIDER_CHOICES,
  type ProviderChoice,
  parseCacheType,
  parseMilliseconds,
  parseNamespace,
  parseProviderChoice,
  parseRedisUrl,
  parseSwitch,
  parseTtlFlag,
  type RawSettings,
  resolveSettings,
  SETTING_FLAGS,
  type SettingDefaults,
  type SettingName,
} from './settings.js';
export {
  answerTextOf,
  canListKeys,
  clearEntries,
  type EntryDetails,
  type EntrySummary,
  inspectEntry,
  type ListEntriesOptions,
  listEntries,
  pruneEntries,
  readStoreStats,
  resetStoreStats,
  type StoreStats,
  summarizeEntry,
} from './store-admin.js';
export {
  checkStore,
  createStoreFromOptions,
  describeStore,
  type StoreDescription,
  type StoreFromOptions,
} from './store-from-options.js';
export { type WarmItemResult, type WarmOptions, type WarmSummary, warmCache } from './warm.js';
