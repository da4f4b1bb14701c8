import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Codec } from './codec.js';
import { CorruptEntryError, InvalidOptionError, OutdatedEntryError } from './errors.js';

// Encrypted values: "PCE2" | key id length (1 byte) | key id | IV (12) | GCM tag (16) | ciphertext.
// The key id travels with every value, so keys can be rotated while older entries still decrypt. The cache key
// the value is stored under is the AEAD's associated data: a value copied under another key (another
// tenant's, another request's) fails authentication instead of answering the wrong request.
const MAGIC = Buffer.from('PCE2');
/** Values encrypted before they were bound to their keys: read as a miss, never decrypted. */
const UNBOUND_MAGIC = Buffer.from('PCE1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Keys for AES-256-GCM encryption of stored values (see `encryptionOptionsFromEnv`). */
export interface EncryptionOptions {
  /**
   * Keys by id. Each key is 32 bytes: a `Uint8Array`, or a string in base64 or hex.
   * @example { '2026-11': process.env.CACHE_KEY_NEW, '2026-05': process.env.CACHE_KEY_OLD }
   */
  keys: Record<string, string | Uint8Array>;
  /** The id of the key new entries are encrypted with. Default: the first key. */
  currentKeyId?: string;
}

/**
 * Wraps a codec with AES-256-GCM (node:crypto), with the value's cache key as associated data. A value that was
 * tampered with, moved under another key, or whose key id is not configured, fails to decode with
 * `CorruptEntryError`: the orchestrator counts it and treats it as a miss. A value of the older, unbound
 * format fails with `OutdatedEntryError`: a plain miss.
 */
export function createEncryptedCodec<Value>(inner: Codec<Value>, options: EncryptionOptions): Codec<Value> {
  const keys = new Map(Object.entries(options.keys ?? {}).map(([id, key]) => [id, parseKey(id, key)]));
  const currentKeyId = options.currentKeyId ?? keys.keys().next().value;
  if (currentKeyId === undefined || !keys.has(currentKeyId)) {
    throw new InvalidOptionError(
      `[core] encryption needs at least one 32-byte key, and currentKeyId must name one of them; got ${JSON.stringify(currentKeyId)}`,
    );
  }
  if (Buffer.byteLength(currentKeyId) > 255)
    throw new InvalidOptionError('[core] encryption key ids must be <= 255 bytes');
  const currentKey = keys.get(currentKeyId)!;
  const keyIdBytes = Buffer.from(currentKeyId);

  return {
    name: `aes-256-gcm(${inner.name})`,
    encode(value, context) {
      const plain = inner.encode(value, context);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(associatedData(context?.key));
      const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([
        MAGIC,
        Buffer.from([keyIdBytes.length]),
        keyIdBytes,
        iv,
        cipher.getAuthTag(),
        ciphertext,
      ]);
    },
    decode(encoded, context) {
      const bytes = typeof encoded === 'string' ? Buffer.from(encoded, 'latin1') : Buffer.from(encoded);
      if (bytes.subarray(0, UNBOUND_MAGIC.length).equals(UNBOUND_MAGIC)) {
        throw new OutdatedEntryError('value was encrypted before values were bound to their keys');
      }
      if (bytes.length < MAGIC.length + 1 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new CorruptEntryError('value is not encrypted by prompt-cache');
      }
      const idLength = bytes[MAGIC.length]!;
      const idStart = MAGIC.length + 1;
      const keyId = bytes.toString('utf8', idStart, idStart + idLength);
      const key = keys.get(keyId);
      if (!key)
        throw new CorruptEntryError(`value was encrypted with key id "${keyId}", which is not configured`);
      const ivStart = idStart + idLength;
      const tagStart = ivStart + IV_BYTES;
      const dataStart = tagStart + TAG_BYTES;
      if (bytes.length < dataStart) throw new CorruptEntryError('encrypted value is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(ivStart, tagStart));
        decipher.setAuthTag(bytes.subarray(tagStart, dataStart));
        decipher.setAAD(associatedData(context?.key));
        const plain = Buffer.concat([decipher.update(bytes.subarray(dataStart)), decipher.final()]);
        return inner.decode(plain.toString('utf8'), context);
      } catch (cause) {
        throw new CorruptEntryError(
          'encrypted value failed authentication (tampered, stored under another key, or a wrong key)',
          {
            cause,
          },
        );
      }
    },
  };
}

/** The associated data of a value: its cache key, UTF-8 (empty when a caller decodes without one). */
function associatedData(key: string | undefined): Buffer {
  return Buffer.from(key ?? '', 'utf8');
}

/**
 * Reads keys from an environment variable of the form `id:key[,id:key...]`; the first is current.
 * Default variable: `PROMPT_CACHE_ENCRYPTION_KEYS`. Returns `undefined` when it is not set.
 */
export function encryptionOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  variable = 'PROMPT_CACHE_ENCRYPTION_KEYS',
): EncryptionOptions | undefined {
  const text = env[variable]?.trim();
  if (!text) return undefined;
  const keys: Record<string, string> = {};
  for (const part of text.split(',')) {
    const separator = part.indexOf(':');
    if (separator <= 0)
      throw new InvalidOptionError(`[core] ${variable} must look like "id:base64key[,id:base64key]"`);
    keys[part.slice(0, separator).trim()] = part.slice(separator + 1).trim();
  }
  return { keys, currentKeyId: Object.keys(keys)[0] };
}

function parseKey(id: string, key: string | Uint8Array): Buffer {
  const bytes =
    typeof key !== 'string'
      ? Buffer.from(key)
      : /^[0-9a-f]{64}$/i.test(key)
        ? Buffer.from(key, 'hex')
        : Buffer.from(key, 'base64');
  if (bytes.length !== 32) {
    throw new InvalidOptionError(
      `[core] encryption key "${id}" must be 32 bytes (base64 or hex); got ${bytes.length}. Make one with: openssl rand -base64 32`,
    );
  }
  return bytes;
}
