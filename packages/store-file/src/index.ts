/** Atomic (temporary file + rename) writes, also used by `@prompt-cache/semantic` to save its index. */
export { writeFileAtomic } from './atomic-write.js';
export {
  createFileStatsBackend,
  type FileStatsBackend,
  type FileStatsBackendOptions,
} from './file-stats.js';
export { createFileStore, type FileStore } from './file-store.js';
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_ENTRIES,
  defaultFileStoreDirectory,
  type FileStoreOptions,
} from './file-store-options.js';
export type { EvictionReason } from './size-limits.js';
