import {
  type AppSettings,
  type CacheType,
  createStoreFromOptions,
  describeStore,
  resolveSettings,
  type StoreDescription,
} from '@prompt-cache/app-kit';
import type { CacheStore } from '@prompt-cache/core';
import type { SharedFlags } from './options/shared-options.js';

/** Settings from the shared flags, environment variables and defaults; bad values throw usage errors. */
export function settingsFrom(
  flags: SharedFlags,
  defaults: { cacheType?: CacheType; ttlSeconds?: number; namespace?: string } = {},
): AppSettings {
  const settings = resolveSettings(
    {
      cacheType: flags.cacheType,
      cacheDir: flags.cacheDir,
      redisUrl: flags.redisUrl,
      namespace: flags.namespace,
      ttl: flags.ttl,
      provider: flags.provider,
      region: flags.region,
      model: flags.model,
      semantic: flags.semantic,
    },
    process.env,
    defaults,
  );
  // A command's own namespace (the demos keep to theirs) applies only when neither flag nor variable names one.
  if (defaults.namespace && flags.namespace === undefined && !process.env.PROMPT_CACHE_NAMESPACE) {
    settings.namespace = defaults.namespace;
  }
  return settings;
}

/** A store opened from settings, closed when `work` is done (whatever happens). */
export async function withStore<T>(
  settings: AppSettings,
  work: (store: CacheStore, description: StoreDescription) => Promise<T>,
): Promise<T> {
  const store = createStoreFromOptions(settings);
  try {
    return await work(store, describeStore(store));
  } finally {
    await store.close?.().catch(() => undefined);
  }
}

/** `file cache in /home/me/.cache/prompt-cache`, `redis cache at redis://127.0.0.1:6379`, `memory cache`. */
export function storeLabel(description: StoreDescription): string {
  if (description.cacheType === 'memory') return 'memory cache (this process only)';
  if (description.cacheType === 'redis') return `redis cache at ${description.location}`;
  return `file cache in ${description.location}`;
}
