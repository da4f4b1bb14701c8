import { createHmac, hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { InvalidOptionError } from './errors.js';
import { createTextNormalizer, type NormalizeSetting, normalizeStrings } from './normalize.js';

/** Bump when the way keys are derived changes, so old entries are simply never read again. */
export const KEY_SCHEMA_VERSION = 1;

/** Top-level request fields that never change an answer, so never change the key. */
export const DEFAULT_EXCLUDED_FIELDS: readonly string[] = ['requestMetadata', 'metadata'];

const NAMESPACE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Whether `namespace` can scope keys: 1-64 letters, digits, `.`, `_` or `-`. Apps check names with it early. */
export function isValidNamespace(namespace: string): boolean {
  return NAMESPACE_PATTERN.test(namespace);
}

/** How a request becomes its key: namespace, version, the fields that count, normalization, a secret. */
export interface KeyOptions<Request = unknown> {
  /**
   * Scope of the keys; caches in different namespaces never see each other's entries.
   * Letters, digits, `.`, `_` and `-`, up to 64 characters. Default `'default'`.
   */
  namespace?: string;
  /** Version baked into every key; bump it to invalidate everything at once. Default `1`. */
  version?: number;
  /**
   * Picks the fields that can change the answer. Default: the request itself, minus `exclude`.
   * @example select: (request) => ({ model: request.model, prompt: request.prompt })
   */
  select?: (request: Request) => unknown;
  /** Top-level fields left out of the key when `select` is not given. Default {@link DEFAULT_EXCLUDED_FIELDS}. */
  exclude?: readonly string[];
  /** Normalize prompt text before hashing (trim, collapse whitespace, fold case). Default `false`. */
  normalize?: NormalizeSetting;
  /**
   * With a secret, keys are HMAC-SHA-256 instead of SHA-256: key names then reveal nothing about the
   * prompts, and nobody without the secret can compute them. Each namespace hashes with its own key, derived
   * from the secret, so the same prompt in two namespaces gives hashes that cannot be matched up.
   */
  secret?: string | Uint8Array;
}

/** Everything that went into a key, so a user can see why two requests got different keys. */
export interface KeyExplanation {
  key: string;
  namespace: string;
  version: number;
  algorithm: 'sha256' | 'hmac-sha256';
  normalized: boolean;
  /** The canonical text that was hashed. */
  material: string;
  /** Top-level fields that were left out. */
  excluded: string[];
}

export interface KeyDeriver<Request = unknown> {
  /** `<namespace>:v<version>:`, the prefix every key of this deriver starts with. */
  readonly prefix: string;
  readonly namespace: string;
  keyFor(request: Request): string;
  explain(request: Request): KeyExplanation;
}

/** Builds the key function once, so that the hot path does no option handling. */
export function createKeyDeriver<Request = unknown>(options: KeyOptions<Request> = {}): KeyDeriver<Request> {
  const namespace = options.namespace ?? 'default';
  if (!isValidNamespace(namespace)) {
    throw new InvalidOptionError(
      `[core] namespace ${JSON.stringify(namespace)} is invalid; use 1-64 letters, digits, '.', '_' or '-'`,
    );
  }
  const version = options.version ?? KEY_SCHEMA_VERSION;
  if (!Number.isInteger(version) || version < 0) {
    throw new InvalidOptionError(`[core] key version must be a whole number >= 0; got ${version}`);
  }
  const prefix = `${namespace}:v${version}:`;
  const exclude = options.exclude ?? DEFAULT_EXCLUDED_FIELDS;
  const omit = options.select ? undefined : new Set(exclude);
  const select = options.select ?? ((request: Request) => request);
  const normalizeText = createTextNormalizer(options.normalize);
  const normalizeFields = typeof options.normalize === 'object' ? options.normalize.fields : undefined;
  // Each namespace hashes with a key of its own, derived from the secret: the same prompt gives unrelated
  // hashes in two tenants, so a reader of the store cannot tell that they asked the same thing.
  const secret =
    options.secret === undefined
      ? undefined
      : createHmac('sha256', options.secret).update(`prompt-cache namespace key\u0000${namespace}`).digest();
  const digest = secret
    ? (material: string) => createHmac('sha256', secret).update(material).digest('hex')
    : (material: string) => hash('sha256', material, 'hex');

  const materialOf = (request: Request): string => {
    const selected = select(request);
    return canonicalJson(
      normalizeText ? normalizeStrings(selected, normalizeText, normalizeFields) : selected,
      omit,
    );
  };

  return {
    prefix,
    namespace,
    keyFor: (request) => prefix + digest(materialOf(request)),
    explain: (request) => {
      const material = materialOf(request);
      const present = request !== null && typeof request === 'object' ? Object.keys(request) : [];
      return {
        key: prefix + digest(material),
        namespace,
        version,
        algorithm: secret ? 'hmac-sha256' : 'sha256',
        normalized: normalizeText !== undefined,
        material,
        excluded: options.select ? [] : present.filter((field) => exclude.includes(field)),
      };
    },
  };
}

/** Derives one key. Prefer {@link createKeyDeriver} when deriving many. */
export function deriveKey<Request>(request: Request, options?: KeyOptions<Request>): string {
  return createKeyDeriver(options).keyFor(request);
}

/** Shows the canonical material behind a key, and what was left out. */
export function explainKey<Request>(request: Request, options?: KeyOptions<Request>): KeyExplanation {
  return createKeyDeriver(options).explain(request);
}
