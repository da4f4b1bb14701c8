import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CacheEntry } from './entry.js';
import { parseEntry, parseStoredEntry, serializeEntry } from './entry-format.js';
import { CorruptEntryError } from './errors.js';

const entry: CacheEntry = {
  version: 1,
  value: '{"answer":"héllo"}',
  createdAt: 1_700_000_000_000,
  expiresAt: null,
  meta: { model: 'amazon.nova-lite-v1:0', usage: { inputTokens: 1, outputTokens: 2 } },
};

describe('entry format', () => {
  it('round-trips text and binary values', () => {
    expect(parseEntry(serializeEntry(entry))).toEqual(entry);
    const binary = { ...entry, value: Uint8Array.from([0, 10, 255]) };
    expect(parseEntry(serializeEntry(binary))).toEqual(binary);
  });

  it('turns every truncation and every flipped byte into a CorruptEntryError', () => {
    const bytes = serializeEntry(entry);
    for (let length = 0; length < bytes.length; length++) {
      expect(() => parseEntry(bytes.subarray(0, length))).toThrow(CorruptEntryError);
    }
    for (let index = 0; index < bytes.length; index++) {
      const flipped = Buffer.from(bytes);
      flipped[index] = flipped[index]! ^ 0x20;
      expect(() => parseEntry(flipped)).toThrow(CorruptEntryError);
    }
  });

  it('names foreign files and unknown versions', () => {
    expect(() => parseEntry(Buffer.from('{"hello":1}'))).toThrow(/not a prompt-cache entry/);
    const future = Buffer.from(serializeEntry(entry).toString('latin1').replace(/^PC1/, 'PC9'), 'latin1');
    expect(() => parseEntry(future)).toThrow(/unknown entry version 9/);
  });
});

describe('stored keys', () => {
  it('keeps the key inside the entry when asked', () => {
    expect(parseStoredEntry(serializeEntry(entry, 'ns:v1:abc'))).toEqual({ key: 'ns:v1:abc', entry });
    expect(parseStoredEntry(serializeEntry(entry)).key).toBeUndefined();
  });
});

describe('header shape', () => {
  it('refuses a well-checksummed header of the wrong shape', () => {
    const body = Buffer.from(`null\n`);
    const raw = Buffer.concat([Buffer.from(`PC1 ${crc32(body).toString(16).padStart(8, '0')}\n`), body]);
    expect(() => parseEntry(raw)).toThrow(/wrong shape/);
  });
});
