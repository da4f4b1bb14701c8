import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { createPromptCache } from '@prompt-cache/core';
import { CorruptEntryError, ENTRY_SCHEMA_VERSION, serializeEntry } from '@prompt-cache/core/store-kit';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../test/temp-directory.js';
import { createFileStore } from './file-store.js';

/** A small deterministic PRNG (mulberry32), so a failing variant can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A damaged copy of `original`: flipped bytes, a cut, garbage appended or inserted, or a new version. */
function corrupt(original: Buffer, next: () => number): { bytes: Buffer; how: string } {
  const at = (length: number) => Math.floor(next() * length);
  const bytes = Buffer.from(original);
  switch (at(6)) {
    case 0: {
      const flips = 1 + at(4);
      for (let flip = 0; flip < flips; flip++) bytes[at(bytes.length)]! ^= 1 + at(255);
      return { bytes, how: `${flips} flipped byte(s)` };
    }
    case 1: {
      const length = at(bytes.length);
      return { bytes: bytes.subarray(0, length), how: `truncated to ${length} bytes` };
    }
    case 2:
      return { bytes: Buffer.concat([bytes, Buffer.from([at(256)])]), how: 'one byte appended' };
    case 3: {
      const where = at(bytes.length);
      const junk = Buffer.from(Array.from({ length: 1 + at(8) }, () => at(256)));
      return {
        bytes: Buffer.concat([bytes.subarray(0, where), junk, bytes.subarray(where)]),
        how: 'bytes inserted',
      };
    }
    case 4: {
      const junk = Buffer.from(Array.from({ length: at(300) }, () => at(256)));
      return { bytes: junk, how: `${junk.length} random bytes` };
    }
    default: {
      const version = 2 + at(9);
      return {
        bytes: Buffer.from(bytes.toString('latin1').replace(/^PC1/, `PC${version}`), 'latin1'),
        how: `version ${version}`,
      };
    }
  }
}

describe('createFileStore: unreadable entry files', () => {
  it(
    'treats 1,000 damaged variants of a real entry as a miss plus a counted error, and removes them',
    { timeout: 120_000 },
    async () => {
      const store = createFileStore({ directory: temporaryDirectory(), persistStats: false });
      const cache = createPromptCache<string, { text: string }>({ store });
      const first = await cache.getOrCompute('the question', async () => ({ text: 'the real answer' }));
      const path = store.entryPath(first.key);
      const original = readFileSync(path);
      const next = random(20261129);

      for (let variant = 0; variant < 1000; variant++) {
        const { bytes, how } = corrupt(original, next);
        if (bytes.equals(original)) continue;
        // The store on its own: CorruptEntryError, and the file is gone.
        writeFileSync(path, bytes);
        await expect(store.get(first.key), how).rejects.toBeInstanceOf(CorruptEntryError);
        expect(existsSync(path), how).toBe(false);
        // Through the orchestrator: a miss, the fresh answer, one more error, never garbage.
        writeFileSync(path, bytes);
        const errorsBefore = cache.stats.snapshot().errors;
        const result = await cache.getOrCompute('the question', async () => ({ text: `fresh ${variant}` }));
        expect(result, how).toMatchObject({
          status: 'miss',
          value: { text: `fresh ${variant}` },
          stored: true,
        });
        expect(cache.stats.snapshot().errors, how).toBe(errorsBefore + 1);
      }
      // The last fresh answer was stored over the damaged file and reads back.
      expect((await cache.getOrCompute('the question', async () => ({ text: 'unused' }))).status).toBe('hit');
    },
  );

  it('rejects foreign files: another key, no key, a header of the wrong shape, plain text, an empty file', async () => {
    const store = createFileStore({ directory: temporaryDirectory(), persistStats: false });
    const key = 'ns:v1:target';
    const good = { version: ENTRY_SCHEMA_VERSION, value: 'v', createdAt: 1, expiresAt: null, meta: {} };
    await store.set(key, good);
    const path = store.entryPath(key);
    const withChecksum = (body: string) =>
      `PC1 ${crc32(Buffer.from(body)).toString(16).padStart(8, '0')}\n${body}`;
    const variants: Record<string, Buffer | string> = {
      'another key': serializeEntry(good, 'ns:v1:someone-else'),
      'no key': serializeEntry(good),
      'a null header': withChecksum('null\n'),
      'a header of wrong types': withChecksum(
        `${JSON.stringify({ createdAt: 'soon', expiresAt: null, meta: {}, binary: false, length: 1, key })}\nv`,
      ),
      'plain text': 'hello, I am a note someone left here\n',
      'an empty file': '',
      'an unknown version': serializeEntry({ ...good, version: 99 }, key),
    };
    for (const [how, bytes] of Object.entries(variants)) {
      writeFileSync(path, bytes);
      const failure = await store.get(key).catch((error: unknown) => error);
      expect(failure, how).toBeInstanceOf(CorruptEntryError);
      expect((failure as Error).message, how).toContain(path);
      expect(existsSync(path), how).toBe(false);
    }
  });

  it('skips unreadable files in keys(), clear() and size() without failing', async () => {
    const store = createFileStore({ directory: temporaryDirectory(), persistStats: false });
    const good = { version: ENTRY_SCHEMA_VERSION, value: 'v', createdAt: 1, expiresAt: null, meta: {} };
    await store.set('ns:v1:good', good);
    await store.set('ns:v1:bad', good);
    writeFileSync(store.entryPath('ns:v1:bad'), 'garbage');
    const keys: string[] = [];
    for await (const key of store.keys()) keys.push(key);
    expect(keys).toEqual(['ns:v1:good']);
    expect((await store.size()).entries).toBe(2);
    expect(await store.clear()).toBe(1);
    expect(await store.prune()).toBe(1);
    expect(await store.size()).toEqual({ entries: 0, bytes: 0 });
  });
});
