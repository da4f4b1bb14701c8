import {
  type AppSettings,
  type ProviderChoice,
  parseProviderChoice,
  type RawSettings,
  resolveSettings,
  type SessionOptions,
} from '@prompt-cache/app-kit';
import { resolveSocketLimits, type SocketLimits } from '@prompt-cache/bedrock-simulator';
import { InvalidOptionError } from '@prompt-cache/core';
import { DEFAULT_MAX_BODY_BYTES } from './http-io.js';
import { parseApiKeys, readApiKeysFile, type TenantKeys } from './tenants.js';

/** The gateway's default port. */
export const DEFAULT_PORT = 8787;
/** The gateway's default interface: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * The environment variables the gateway reads besides app-kit's store and model variables
 * (`PROMPT_CACHE_CACHE_TYPE`, `PROMPT_CACHE_DIR`, `PROMPT_CACHE_REDIS_URL`, `PROMPT_CACHE_TTL`,
 * `PROMPT_CACHE_NAMESPACE`, `PROMPT_CACHE_REGION`, `PROMPT_CACHE_MODEL`, `PROMPT_CACHE_SIMULATOR_LATENCY_MS`).
 * An option always wins over its variable.
 */
export const GATEWAY_ENVIRONMENT_VARIABLES = {
  port: 'PROMPT_CACHE_PORT',
  host: 'PROMPT_CACHE_HOST',
  /** Falls back to app-kit's `PROMPT_CACHE_PROVIDER`. */
  upstream: 'PROMPT_CACHE_UPSTREAM',
  apiKeys: 'PROMPT_CACHE_API_KEYS',
  apiKeysFile: 'PROMPT_CACHE_API_KEYS_FILE',
  adminKey: 'PROMPT_CACHE_ADMIN_KEY',
  maxBodyBytes: 'PROMPT_CACHE_MAX_BODY_BYTES',
  maxConnections: 'PROMPT_CACHE_MAX_CONNECTIONS',
} as const;

/** Options of `startGateway`, as given by a program or the CLI's flags. */
export interface GatewayConfigOptions {
  /** TCP port; `0` picks a free one. Default `PROMPT_CACHE_PORT`, else `8787`. */
  port?: number | string;
  /**
   * Interface to bind. Default `PROMPT_CACHE_HOST`, else `127.0.0.1`. A non-loopback host is refused unless API
   * keys are configured.
   */
  host?: string;
  /**
   * Who answers misses: `bedrock` (real Amazon Bedrock with the gateway's own credentials, from the SDK's default
   * chain), `simulator` (the local simulator, in this process) or `auto` (Bedrock when AWS credentials are
   * configured, else the simulator). Default `PROMPT_CACHE_UPSTREAM`, else `PROMPT_CACHE_PROVIDER`, else `auto`.
   */
  upstream?: ProviderChoice | string;
  /** `memory`, `file` or `redis`. Default `PROMPT_CACHE_CACHE_TYPE`, else `memory`. */
  cacheType?: string;
  /** Directory of the file store. Default `PROMPT_CACHE_DIR`, else `~/.cache/prompt-cache`. */
  cacheDir?: string;
  /** URL of the Redis store. Default `PROMPT_CACHE_REDIS_URL`, else `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** Longest wait for one Redis command before the cache is skipped, in ms. Default `PROMPT_CACHE_REDIS_TIMEOUT_MS`, else store-redis's default. */
  redisTimeoutMs?: number | string;
  /** Default TTL of new entries: seconds, or `30m`, `2h`, `1d`; `0` = no expiry. Default `PROMPT_CACHE_TTL`, else `3600`. */
  ttl?: string | number;
  /** Namespace of callers when no API keys are configured (and of the admin key). Default `PROMPT_CACHE_NAMESPACE`, else `prompt-cache`. */
  namespace?: string;
  /** AWS region of Bedrock. Default `PROMPT_CACHE_REGION`, `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`. */
  region?: string;
  /** Model of `/v1/ask` when a request names none. Default `PROMPT_CACHE_MODEL`, else `amazon.nova-lite-v1:0`. */
  model?: string;
  /** The in-process simulator's time to first token in ms (`0` for tests). Default `PROMPT_CACHE_SIMULATOR_LATENCY_MS`, else its realistic latency. */
  simulatorLatencyMs?: number | string;
  /**
   * Answer a paraphrase of a cached Converse or ConverseStream prompt from its entry (`x-prompt-cache: semantic-hit`), never across
   * namespaces: `true`, or the decision rule and embedder (`{ threshold, margin, embedder, ... }`, see
   * `@prompt-cache/semantic`). Default `PROMPT_CACHE_SEMANTIC` (`on` / `off`), else off.
   */
  semantic?: boolean | SessionOptions['semantic'];
  /**
   * Tenant API keys: `"key1=tenant-a,key2=tenant-b"` or `{ key1: 'tenant-a' }`. A tenant's entries live in the
   * namespace named after it. Default `PROMPT_CACHE_API_KEYS`.
   */
  apiKeys?: string | Record<string, string>;
  /** A file of API keys (JSON `{ "keys": { "<key>": "<tenant>" }, "adminKey": "..." }` or `key=tenant` lines). Default `PROMPT_CACHE_API_KEYS_FILE`. */
  apiKeysFile?: string;
  /** The admin key: clears namespaces, reads `/metrics`, acts for any namespace. Default `PROMPT_CACHE_ADMIN_KEY`. */
  adminKey?: string;
  /** Largest request body in bytes. Default `PROMPT_CACHE_MAX_BODY_BYTES`, else 1 MiB (1048576). */
  maxBodyBytes?: number | string;
  /**
   * Socket timeouts and the connection cap: `headersTimeoutMs` (20000), `requestTimeoutMs` (120000),
   * `keepAliveTimeoutMs` (5000), `sessionTimeoutMs` (HTTP/2, 60000) and `maxConnections` (800; keep it below
   * `ulimit -n`). `maxConnections` defaults to `PROMPT_CACHE_MAX_CONNECTIONS`.
   */
  socketLimits?: SocketLimits;
  /** Where the variables are read. Default `process.env`. */
  environment?: NodeJS.ProcessEnv;
}

/** Validated gateway configuration. */
export interface GatewayConfig {
  port: number;
  host: string;
  upstream: ProviderChoice;
  /** Store, TTL, namespace, region, model, simulator and semantic settings (app-kit's). */
  settings: AppSettings;
  /** The decision rule and embedder of semantic matching, when given as an object. */
  semantic: SessionOptions['semantic'];
  keys: TenantKeys;
  maxBodyBytes: number;
  /** Timeouts and the connection cap of the listener, defaults filled in. */
  socketLimits: Required<SocketLimits>;
  /** True when the host is a loopback address. */
  loopback: boolean;
}

/**
 * Applies environment variables and defaults, and validates every option, so that a bad value fails before
 * anything listens, with a one-line message naming the option or variable.
 * @throws {InvalidOptionError} or `InvalidTtlError`.
 */
export function resolveGatewayConfig(options: GatewayConfigOptions = {}): GatewayConfig {
  const environment = options.environment ?? process.env;
  const variable = (name: keyof typeof GATEWAY_ENVIRONMENT_VARIABLES): string | undefined => {
    const value = environment[GATEWAY_ENVIRONMENT_VARIABLES[name]];
    return value === undefined || value === '' ? undefined : value;
  };

  const port = parsePort(
    options.port ?? variable('port') ?? DEFAULT_PORT,
    options.port === undefined ? GATEWAY_ENVIRONMENT_VARIABLES.port : '--port',
  );
  const host = (options.host ?? variable('host') ?? DEFAULT_HOST).trim();
  if (host === '') throw new InvalidOptionError('[server] --host must name an interface, e.g. 127.0.0.1');

  const upstreamText =
    options.upstream ?? variable('upstream') ?? nonEmpty(environment.PROMPT_CACHE_PROVIDER) ?? 'auto';
  const upstream = parseProviderChoice(
    String(upstreamText),
    options.upstream !== undefined
      ? '--upstream'
      : variable('upstream')
        ? 'PROMPT_CACHE_UPSTREAM'
        : 'PROMPT_CACHE_PROVIDER',
  );

  const raw: RawSettings = {
    cacheType: options.cacheType,
    cacheDir: options.cacheDir,
    redisUrl: options.redisUrl,
    redisTimeoutMs: options.redisTimeoutMs,
    ttl: options.ttl,
    namespace: options.namespace,
    provider: upstream,
    region: options.region,
    model: options.model,
    simulatorLatencyMs: options.simulatorLatencyMs,
    semantic: options.semantic === undefined ? undefined : options.semantic !== false,
  };
  const settings = resolveSettings(raw, environment, { cacheType: 'memory' });

  const keys = resolveKeys(options, environment);
  const maxBodyBytes = parseBodyLimit(
    options.maxBodyBytes ?? variable('maxBodyBytes') ?? DEFAULT_MAX_BODY_BYTES,
    options.maxBodyBytes === undefined ? GATEWAY_ENVIRONMENT_VARIABLES.maxBodyBytes : '--max-body-bytes',
  );
  const maxConnections = options.socketLimits?.maxConnections ?? variable('maxConnections');
  const socketLimits = resolveLimits({
    ...options.socketLimits,
    ...(maxConnections === undefined
      ? {}
      : { maxConnections: parseBodyLimit(maxConnections, GATEWAY_ENVIRONMENT_VARIABLES.maxConnections, '') }),
  });
  const loopback = isLoopbackHost(host);
  if (!loopback && keys.keys.size === 0 && keys.adminKey === undefined) {
    throw new InvalidOptionError(
      `[server] refusing to listen on ${host} without API keys; set PROMPT_CACHE_API_KEYS and PROMPT_CACHE_ADMIN_KEY, or bind --host 127.0.0.1`,
    );
  }
  const semantic = typeof options.semantic === 'object' ? options.semantic : undefined;
  return { port, host, upstream, settings, semantic, keys, maxBodyBytes, socketLimits, loopback };
}

function resolveKeys(options: GatewayConfigOptions, environment: NodeJS.ProcessEnv): TenantKeys {
  const keys = new Map<string, string>();
  let adminKey: string | undefined;
  const file = options.apiKeysFile ?? nonEmpty(environment[GATEWAY_ENVIRONMENT_VARIABLES.apiKeysFile]);
  if (file) {
    const fromFile = readApiKeysFile(file);
    for (const [key, tenant] of fromFile.keys) keys.set(key, tenant);
    adminKey = fromFile.adminKey;
  }
  const given = options.apiKeys ?? nonEmpty(environment[GATEWAY_ENVIRONMENT_VARIABLES.apiKeys]);
  if (typeof given === 'string') {
    for (const [key, tenant] of parseApiKeys(
      given,
      options.apiKeys === undefined ? 'PROMPT_CACHE_API_KEYS' : 'apiKeys',
    ))
      keys.set(key, tenant);
  } else if (given && typeof given === 'object') {
    const text = Object.entries(given)
      .map(([key, tenant]) => `${key}=${tenant}`)
      .join('\n');
    for (const [key, tenant] of parseApiKeys(text, 'apiKeys')) keys.set(key, tenant);
  }
  const admin = options.adminKey ?? nonEmpty(environment[GATEWAY_ENVIRONMENT_VARIABLES.adminKey]) ?? adminKey;
  if (admin !== undefined && !/^[\x21-\x7e]{1,512}$/.test(admin)) {
    throw new InvalidOptionError('[server] the admin key must be 1-512 printable characters without spaces');
  }
  return { keys, adminKey: admin };
}

/** A TCP port: a whole number from 0 to 65535. */
export function parsePort(value: string | number, where = '--port'): number {
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65_535) {
    throw new InvalidOptionError(
      `[server] ${where} must be a whole number from 0 to 65535; got ${JSON.stringify(String(value))}`,
    );
  }
  return number;
}

function parseBodyLimit(value: string | number, where: string, unit = ' of bytes'): number {
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new InvalidOptionError(
      `[server] ${where} must be a whole number${unit} >= 1; got ${JSON.stringify(String(value))}`,
    );
  }
  return number;
}

function resolveLimits(limits: SocketLimits): Required<SocketLimits> {
  try {
    return resolveSocketLimits(limits);
  } catch (error) {
    throw new InvalidOptionError(
      String((error as Error).message).replace('[bedrock-simulator] ', '[server] socketLimits.'),
    );
  }
}

/** True for `localhost`, `127.0.0.0/8` and `::1` (also as an IPv4-mapped address). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    /^127(?:\.\d{1,3}){3}$/.test(bare) ||
    bare === '::1' ||
    /^::ffff:127(?:\.\d{1,3}){3}$/.test(bare)
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
