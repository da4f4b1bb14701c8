import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Codec } from './codec.js';
import { CorruptEntryError, InvalidOptionError } from './errors.js';

// Encrypted values: "PCE1" | key id length (1 byte) | key id | IV (12) | GCM tag (16) | ciphertext.
// The key id travels with every value, so keys can be rotated while older entries still decrypt.
const MAGIC = Buffer.from('PCE1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

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
 * Wraps a codec with AES-256-GCM (node:crypto). A value that was tampered with, or whose key id is not
 * configured, fails to decode with `CorruptEntryError`: the orchestrator counts it and treats it as a miss.
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
    encode(value) {
      const plain = inner.encode(value);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
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
    decode(encoded) {
      const bytes = typeof encoded === 'string' ? Buffer.from(encoded, 'latin1') : Buffer.from(encoded);
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
        const plain = Buffer.concat([decipher.update(bytes.subarray(dataStart)), decipher.final()]);
        return inner.decode(plain.toString('utf8'));
      } catch (cause) {
        throw new CorruptEntryError('encrypted value failed authentication (tampered, or a wrong key)', {
          cause,
        });
      }
    },
  };
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
