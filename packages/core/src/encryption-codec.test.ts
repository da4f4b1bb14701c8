import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJsonCodec } from './codec.js';
import { createEncryptedCodec, encryptionOptionsFromEnv } from './encryption-codec.js';
import { CorruptEntryError, InvalidOptionError } from './errors.js';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const json = createJsonCodec<{ text: string }>();

describe('createEncryptedCodec', () => {
  it('round-trips, and the stored bytes do not contain the plain text', () => {
    const codec = createEncryptedCodec(json, { keys: { k1: oldKey } });
    const encoded = codec.encode({ text: 'my secret answer' });
    expect(Buffer.from(encoded).includes('secret')).toBe(false);
    expect(codec.decode(encoded)).toEqual({ text: 'my secret answer' });
  });

  it('decrypts entries written with an older key after rotation', () => {
    const before = createEncryptedCodec(json, { keys: { old: oldKey } });
    const written = before.encode({ text: 'from last month' });
    const after = createEncryptedCodec(json, { keys: { new: newKey, old: oldKey }, currentKeyId: 'new' });
    expect(after.decode(written)).toEqual({ text: 'from last month' });
    expect(
      Buffer.from(after.encode({ text: 'x' }))
        .subarray(5, 8)
        .toString(),
    ).toBe('new');
  });

  it('refuses tampered values and unknown key ids as corrupt entries, never garbage', () => {
    const codec = createEncryptedCodec(json, { keys: { k1: oldKey } });
    const encoded = Buffer.from(codec.encode({ text: 'integrity' }));
    for (let index = 0; index < encoded.length; index++) {
      const tampered = Buffer.from(encoded);
      tampered[index] = tampered[index]! ^ 1;
      expect(() => codec.decode(tampered)).toThrow(CorruptEntryError);
    }
    const stranger = createEncryptedCodec(json, { keys: { k2: newKey } });
    expect(() => stranger.decode(encoded)).toThrow(/key id "k1", which is not configured/);
    expect(() => codec.decode('{"text":"plain"}')).toThrow(/not encrypted/);
  });

  it('explains a bad key', () => {
    expect(() => createEncryptedCodec(json, { keys: { short: 'abc' } })).toThrow(InvalidOptionError);
    expect(() => createEncryptedCodec(json, { keys: { short: 'abc' } })).toThrow(/openssl rand -base64 32/);
    expect(() => createEncryptedCodec(json, { keys: {} })).toThrow(/at least one 32-byte key/);
  });

  it('reads rotated keys from the environment, current first', () => {
    const options = encryptionOptionsFromEnv({
      PROMPT_CACHE_ENCRYPTION_KEYS: `new:${newKey.toString('base64')}, old:${oldKey.toString('hex')}`,
    });
    expect(options?.currentKeyId).toBe('new');
    const codec = createEncryptedCodec(json, options!);
    expect(codec.decode(codec.encode({ text: 'env' }))).toEqual({ text: 'env' });
    expect(encryptionOptionsFromEnv({})).toBeUndefined();
  });
});
