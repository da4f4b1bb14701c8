import { hash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HttpRequest } from '@prompt-cache/bedrock-simulator';
import { InvalidOptionError, isValidNamespace } from '@prompt-cache/core';
import { accessDenied } from './errors.js';
import { headerOf } from './http-io.js';

/** Who is calling: the tenant, the namespace its keys live in, and whether it holds the admin key. */
export interface Caller {
  /** The tenant's name; `admin` for the admin key; `local` when no keys are configured. */
  tenant: string;
  /** The key namespace of this caller's entries. */
  namespace: string;
  /** True for the admin key, and for everyone when no keys are configured (loopback only). */
  admin: boolean;
}

/** API keys and the tenants they belong to. */
export interface TenantKeys {
  /** API key → tenant name (the tenant's name is its namespace). */
  keys: Map<string, string>;
  /** The key that may clear namespaces, read `/metrics` and act for any namespace. */
  adminKey: string | undefined;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,512}$/;

/**
 * Parses `key1=tenant-a,key2=tenant-b` (commas, semicolons or newlines between pairs).
 * @throws {InvalidOptionError} naming `where` and the bad pair.
 */
export function parseApiKeys(text: string, where = 'PROMPT_CACHE_API_KEYS'): Map<string, string> {
  const keys = new Map<string, string>();
  for (const pair of text.split(/[,;\n]/)) {
    const trimmed = pair.trim();
    if (trimmed === '') continue;
    const equals = trimmed.lastIndexOf('=');
    const key = equals === -1 ? '' : trimmed.slice(0, equals).trim();
    const tenant = equals === -1 ? '' : trimmed.slice(equals + 1).trim();
    if (!key || !tenant) {
      throw new InvalidOptionError(
        `[server] ${where}: expected key=tenant pairs separated by commas, e.g. "k3y-a=tenant-a,k3y-b=tenant-b"; got a pair without "="`,
      );
    }
    addKey(keys, key, tenant, where);
  }
  return keys;
}

/**
 * Reads an API keys file: JSON `{ "keys": { "<key>": "<tenant>" }, "adminKey": "<key>" }`, or lines of
 * `key=tenant` (`#` starts a comment).
 */
export function readApiKeysFile(path: string): { keys: Map<string, string>; adminKey?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InvalidOptionError(`[server] cannot read the API keys file ${path} (${code}); check the path`);
  }
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    const lines = trimmed
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
      .join('\n');
    return { keys: parseApiKeys(lines, path) };
  }
  let parsed: { keys?: unknown; adminKey?: unknown };
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    throw new InvalidOptionError(
      `[server] the API keys file ${path} is not valid JSON (${(error as Error).message}); expected {"keys":{"<key>":"<tenant>"},"adminKey":"<key>"}`,
    );
  }
  const keys = new Map<string, string>();
  if (parsed.keys !== undefined) {
    if (typeof parsed.keys !== 'object' || parsed.keys === null || Array.isArray(parsed.keys)) {
      throw new InvalidOptionError(`[server] ${path}: "keys" must be an object of "<key>": "<tenant>"`);
    }
    for (const [key, tenant] of Object.entries(parsed.keys)) {
      if (typeof tenant !== 'string')
        throw new InvalidOptionError(`[server] ${path}: the tenant of a key must be a string`);
      addKey(keys, key, tenant, path);
    }
  }
  if (parsed.adminKey !== undefined && typeof parsed.adminKey !== 'string') {
    throw new InvalidOptionError(`[server] ${path}: "adminKey" must be a string`);
  }
  return { keys, ...(parsed.adminKey ? { adminKey: parsed.adminKey } : {}) };
}

function addKey(keys: Map<string, string>, key: string, tenant: string, where: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new InvalidOptionError(
      `[server] ${where}: an API key must be 1-512 printable characters without spaces`,
    );
  }
  if (!isValidNamespace(tenant)) {
    throw new InvalidOptionError(
      `[server] ${where}: tenant ${JSON.stringify(tenant.slice(0, 80))} must be 1-64 letters, digits, '.', '_' or '-' (it becomes the key namespace)`,
    );
  }
  keys.set(key, tenant);
}

/** Turns requests into callers. */
export interface Authenticator {
  /** True when any key is configured: then every call but the public ones needs one. */
  readonly enabled: boolean;
  /** Tenant names, sorted. */
  readonly tenants: readonly string[];
  /**
   * The caller of a request. With keys configured, a request without a known key is refused (401).
   * @throws {GatewayError} 401 AccessDeniedException.
   */
  identify(request: HttpRequest): Caller;
  /** The caller of a request, or `undefined` when it carries no known key (never throws). */
  tryIdentify(request: HttpRequest): Caller | undefined;
}

/**
 * Builds the authenticator. Keys are compared by their SHA-256 digests, in constant time for the admin key.
 * A key is read from `authorization: Bearer <key>`, `x-api-key: <key>`, or the access key id of an AWS
 * SigV4 `authorization` header (so an unmodified SDK client can pass its key as `accessKeyId`).
 */
export function createAuthenticator(config: TenantKeys, defaultNamespace: string): Authenticator {
  const byDigest = new Map<string, string>();
  for (const [key, tenant] of config.keys) byDigest.set(digest(key), tenant);
  const adminDigest = config.adminKey ? Buffer.from(digest(config.adminKey), 'hex') : undefined;
  if (config.adminKey && config.keys.has(config.adminKey)) {
    throw new InvalidOptionError(
      '[server] the admin key is also a tenant key; give the admin a key of its own',
    );
  }
  // A tenant's namespace is its name: one named like the admin's namespace would read and clear the admin's entries.
  if ([...config.keys.values()].includes(defaultNamespace)) {
    throw new InvalidOptionError(
      `[server] tenant "${defaultNamespace}" has the name of the admin's namespace; rename the tenant or set PROMPT_CACHE_NAMESPACE to another name`,
    );
  }
  const enabled = byDigest.size > 0 || adminDigest !== undefined;
  const local: Caller = { tenant: 'local', namespace: defaultNamespace, admin: true };

  const tryIdentify = (request: HttpRequest): Caller | undefined => {
    if (!enabled) return local;
    const key = presentedKey(request);
    if (key === undefined) return undefined;
    const presented = digest(key);
    if (adminDigest && timingSafeEqual(Buffer.from(presented, 'hex'), adminDigest)) {
      return { tenant: 'admin', namespace: defaultNamespace, admin: true };
    }
    const tenant = byDigest.get(presented);
    return tenant === undefined ? undefined : { tenant, namespace: tenant, admin: false };
  };

  return {
    enabled,
    tenants: [...new Set(config.keys.values())].sort(),
    tryIdentify,
    identify(request) {
      const caller = tryIdentify(request);
      if (caller) return caller;
      throw accessDenied(
        401,
        presentedKey(request) === undefined
          ? '[server] this gateway needs an API key; send "authorization: Bearer <key>" or "x-api-key: <key>"'
          : '[server] the API key is not known to this gateway; check the key',
      );
    },
  };
}

/** The key a request carries, if any. */
export function presentedKey(request: HttpRequest): string | undefined {
  const apiKey = headerOf(request, 'x-api-key')?.trim();
  if (apiKey) return apiKey;
  const authorization = headerOf(request, 'authorization')?.trim();
  if (!authorization) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer) return bearer[1];
  const sigV4 = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//i.exec(authorization);
  if (sigV4) return sigV4[1];
  return undefined;
}

function digest(key: string): string {
  return hash('sha256', key, 'hex');
}
