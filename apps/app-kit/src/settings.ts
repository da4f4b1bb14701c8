import {
  type EncryptionOptions,
  encryptionOptionsFromEnv,
  InvalidOptionError,
  InvalidTtlError,
  isValidNamespace,
} from '@prompt-cache/core';
import { parseTtlSeconds } from '@prompt-cache/core/store-kit';
import { DEFAULT_REDIS_URL, parseRedisUrl as parseStoreRedisUrl } from '@prompt-cache/store-redis';

/** Where cached answers live. */
export type CacheType = 'memory' | 'file' | 'redis';
/** Who answers: real Amazon Bedrock, the local simulator, or `auto` (Bedrock when AWS credentials are configured). */
export type ProviderChoice = 'auto' | 'bedrock' | 'simulator';

export const CACHE_TYPES: readonly CacheType[] = ['memory', 'file', 'redis'];
export const PROVIDER_CHOICES: readonly ProviderChoice[] = ['auto', 'bedrock', 'simulator'];

/** The model both apps use when none is named: cheap, fast, and priced in `@prompt-cache/pricing`. */
export const DEFAULT_MODEL = 'amazon.nova-lite-v1:0';
/** The namespace of every key the apps write unless told otherwise. */
export const DEFAULT_NAMESPACE = 'prompt-cache';
/** Default TTL of the apps: one hour. */
export const DEFAULT_APP_TTL_SECONDS = 3600;

/**
 * The environment variables the apps read for their defaults. A flag always wins over its variable.
 * `simulatorLatencyMs` sets the simulator's time to first token (`0`: answer at once, as tests want).
 */
export const ENVIRONMENT_VARIABLES = {
  cacheType: 'PROMPT_CACHE_CACHE_TYPE',
  cacheDir: 'PROMPT_CACHE_DIR',
  redisUrl: 'PROMPT_CACHE_REDIS_URL',
  redisTimeoutMs: 'PROMPT_CACHE_REDIS_TIMEOUT_MS',
  ttl: 'PROMPT_CACHE_TTL',
  namespace: 'PROMPT_CACHE_NAMESPACE',
  provider: 'PROMPT_CACHE_PROVIDER',
  region: 'PROMPT_CACHE_REGION',
  model: 'PROMPT_CACHE_MODEL',
  simulatorLatencyMs: 'PROMPT_CACHE_SIMULATOR_LATENCY_MS',
  semantic: 'PROMPT_CACHE_SEMANTIC',
} as const;

export type SettingName = keyof typeof ENVIRONMENT_VARIABLES;

/** The flag each setting is given with, in both apps (used in messages). */
export const SETTING_FLAGS: Record<SettingName, string> = {
  cacheType: '--cache-type',
  cacheDir: '--cache-dir',
  redisUrl: '--redis-url',
  redisTimeoutMs: '--redis-timeout',
  ttl: '--ttl',
  namespace: '--namespace',
  provider: '--provider',
  region: '--region',
  model: '--model',
  simulatorLatencyMs: '--simulator-latency',
  semantic: '--semantic',
};

/** Raw values as they came from flags (strings, numbers or switches a parser already made). `undefined` = not given. */
export type RawSettings = Partial<Record<SettingName, string | number | boolean | undefined>>;

/** Validated settings, with environment variables and defaults applied. */
export interface AppSettings {
  cacheType: CacheType;
  /** Directory of the file store; `undefined` = store-file's default (`$XDG_CACHE_HOME/prompt-cache` or `~/.cache/prompt-cache`). */
  cacheDir: string | undefined;
  redisUrl: string;
  /** How long a Redis command may take before the cache is skipped, in ms; `undefined` = store-redis's default. */
  redisTimeoutMs: number | undefined;
  /** Seconds; `0` = no expiry. */
  ttlSeconds: number;
  namespace: string;
  provider: ProviderChoice;
  /** AWS region for Bedrock; `undefined` = `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`. */
  region: string | undefined;
  model: string;
  /** The simulator's time to first token in ms; `undefined` = its realistic default (about 1-3 s per answer). */
  simulatorLatencyMs: number | undefined;
  /**
   * Whether a paraphrase of a cached Converse prompt is answered from its entry (`@prompt-cache/semantic`).
   * Default `false` (`PROMPT_CACHE_SEMANTIC` = `on` turns it on).
   */
  semantic: boolean;
  /** Protection of cached data, from environment variables only (secrets never go on a command line). */
  protection: ProtectionSettings;
}

/** See SECURITY.md. Each comes from the environment variable named in {@link PROTECTION_VARIABLES}. */
export interface ProtectionSettings {
  /** AES-256-GCM keys for cached answers; `undefined` = stored in the clear. */
  encryption: EncryptionOptions | undefined;
  /** Secret for HMAC key names; `undefined` = plain SHA-256 keys. */
  keySecret: string | undefined;
  /** Whether requests and answers with personal data are kept out of the cache. */
  sensitiveGuard: boolean;
  /** Largest answer stored, in bytes; `undefined` = no limit. */
  maxEntryBytes: number | undefined;
}

export const PROTECTION_VARIABLES = {
  encryption: 'PROMPT_CACHE_ENCRYPTION_KEYS',
  keySecret: 'PROMPT_CACHE_KEY_SECRET',
  sensitiveGuard: 'PROMPT_CACHE_SENSITIVE_GUARD',
  maxEntryBytes: 'PROMPT_CACHE_MAX_ENTRY_BYTES',
} as const;

/** Defaults a particular app wants instead of the shared ones. */
export interface SettingDefaults {
  /** Default `'file'`. */
  cacheType?: CacheType;
  /** Default {@link DEFAULT_APP_TTL_SECONDS}. */
  ttlSeconds?: number;
}

/**
 * Applies environment variables and defaults to the raw settings and validates every one, so that a bad value
 * fails before anything is opened, with a one-line message that names the flag or variable it came from.
 * @throws {InvalidOptionError} or `InvalidTtlError` (both usage errors).
 */
export function resolveSettings(
  raw: RawSettings = {},
  environment: NodeJS.ProcessEnv = process.env,
  defaults: SettingDefaults = {},
): AppSettings {
  const pick = (name: SettingName): { value: string | undefined; where: string } => {
    const given = raw[name];
    if (given !== undefined) return { value: String(given), where: SETTING_FLAGS[name] };
    const variable = ENVIRONMENT_VARIABLES[name];
    const fromEnvironment = environment[variable];
    return {
      value: fromEnvironment === undefined || fromEnvironment === '' ? undefined : fromEnvironment,
      where: variable,
    };
  };

  const cacheType = pick('cacheType');
  const ttl = pick('ttl');
  const namespace = pick('namespace');
  const provider = pick('provider');
  const latency = pick('simulatorLatencyMs');
  const cacheDir = pick('cacheDir');
  const redisUrl = pick('redisUrl');
  const redisTimeout = pick('redisTimeoutMs');
  const region = pick('region');
  const model = pick('model');
  const semantic = pick('semantic');

  if (cacheDir.value !== undefined && cacheDir.value.trim() === '') {
    throw new InvalidOptionError(`[app-kit] ${cacheDir.where} must be a directory path; got an empty string`);
  }
  if (model.value !== undefined && model.value.trim() === '') {
    throw new InvalidOptionError(`[app-kit] ${model.where} must name a model, e.g. ${DEFAULT_MODEL}`);
  }

  return {
    cacheType: parseCacheType(cacheType.value ?? defaults.cacheType ?? 'file', cacheType.where),
    cacheDir: cacheDir.value,
    redisUrl: parseRedisUrl(
      redisUrl.value ?? DEFAULT_REDIS_URL,
      redisUrl.value === undefined ? 'redis url' : redisUrl.where,
    ),
    redisTimeoutMs:
      redisTimeout.value === undefined
        ? undefined
        : parseMilliseconds(redisTimeout.value, redisTimeout.where),
    ttlSeconds:
      ttl.value === undefined
        ? (defaults.ttlSeconds ?? DEFAULT_APP_TTL_SECONDS)
        : parseTtlFlag(ttl.value, ttl.where),
    namespace: parseNamespace(namespace.value ?? DEFAULT_NAMESPACE, namespace.where),
    provider: parseProviderChoice(provider.value ?? 'auto', provider.where),
    region: region.value ?? (environment.AWS_REGION || environment.AWS_DEFAULT_REGION || undefined),
    model: model.value ?? DEFAULT_MODEL,
    simulatorLatencyMs:
      latency.value === undefined ? undefined : parseMilliseconds(latency.value, latency.where),
    semantic: semantic.value === undefined ? false : parseSwitch(semantic.value, semantic.where),
    protection: resolveProtection(environment),
  };
}

function resolveProtection(environment: NodeJS.ProcessEnv): ProtectionSettings {
  const guard = environment[PROTECTION_VARIABLES.sensitiveGuard];
  const maxBytes = environment[PROTECTION_VARIABLES.maxEntryBytes];
  const maxEntryBytes = maxBytes ? Number(maxBytes) : undefined;
  if (maxEntryBytes !== undefined && !(Number.isInteger(maxEntryBytes) && maxEntryBytes > 0)) {
    throw new InvalidOptionError(
      `[app-kit] ${PROTECTION_VARIABLES.maxEntryBytes} must be a whole number of bytes > 0; got ${JSON.stringify(maxBytes)}`,
    );
  }
  return {
    encryption: encryptionOptionsFromEnv(environment, PROTECTION_VARIABLES.encryption),
    keySecret: environment[PROTECTION_VARIABLES.keySecret] || undefined,
    sensitiveGuard: guard ? parseSwitch(guard, PROTECTION_VARIABLES.sensitiveGuard) : false,
    maxEntryBytes,
  };
}

/** `on`, `true`, `1` or `off`, `false`, `0` (case-insensitive), else a one-line usage error. */
export function parseSwitch(value: string, where: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (['1', 'on', 'true'].includes(normalized)) return true;
  if (['0', 'off', 'false'].includes(normalized)) return false;
  throw new InvalidOptionError(`[app-kit] ${where} must be on or off; got ${JSON.stringify(normalized)}`);
}

/** `memory`, `file` or `redis` (case-insensitive), else a one-line usage error. */
export function parseCacheType(value: string, where = 'cache type'): CacheType {
  const normalized = value.trim().toLowerCase();
  if ((CACHE_TYPES as readonly string[]).includes(normalized)) return normalized as CacheType;
  throw new InvalidOptionError(
    `[app-kit] unknown cache type ${JSON.stringify(value)} (${where}); use one of: ${CACHE_TYPES.join(', ')}`,
  );
}

/** `auto`, `bedrock` or `simulator` (case-insensitive), else a one-line usage error. */
export function parseProviderChoice(value: string, where = 'provider'): ProviderChoice {
  const normalized = value.trim().toLowerCase();
  if ((PROVIDER_CHOICES as readonly string[]).includes(normalized)) return normalized as ProviderChoice;
  throw new InvalidOptionError(
    `[app-kit] unknown provider ${JSON.stringify(value)} (${where}); use one of: ${PROVIDER_CHOICES.join(', ')}`,
  );
}

/**
 * A TTL in seconds from a flag or variable: a plain number >= 0 (`0` = no expiry), optionally with a unit
 * suffix `s`, `m`, `h` or `d` (`90s`, `30m`, `2h`, `1d`).
 * @throws {InvalidTtlError} for anything else (`-5`, `abc`, `1e3`).
 */
export function parseTtlFlag(value: string | number, where = '--ttl'): number {
  if (typeof value === 'number') return parseTtlSeconds(value, where);
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([smhd]?)\s*$/i.exec(value);
  if (!match) throw new InvalidTtlError(value, where);
  const unit = (match[2] || 's').toLowerCase() as 's' | 'm' | 'h' | 'd';
  return parseTtlSeconds(Number(match[1]) * TTL_UNITS[unit], where);
}

const TTL_UNITS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** A whole number of milliseconds >= 0. */
export function parseMilliseconds(value: string | number, where: string): number {
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new InvalidOptionError(
      `[app-kit] ${where} must be a whole number of milliseconds >= 0; got ${JSON.stringify(String(value))}`,
    );
  }
  return number;
}

/** A key namespace: 1-64 letters, digits, `.`, `_` or `-`. */
export function parseNamespace(value: string, where = '--namespace'): string {
  if (isValidNamespace(value)) return value;
  throw new InvalidOptionError(
    `[app-kit] ${where} must be 1-64 letters, digits, '.', '_' or '-'; got ${JSON.stringify(value)}`,
  );
}

/** A `redis://` or `rediss://` URL, checked by store-redis's own parser. */
export function parseRedisUrl(value: string, where = '--redis-url'): string {
  parseStoreRedisUrl(value, where);
  return value;
}
