import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createPromptCache } from '@prompt-cache/core';
import { tamperWithStoredValue } from '@prompt-cache/core/testing';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../test/temp-directory.js';
import { createFileStore } from './file-store.js';
import { entryFile, hashKey } from './layout.js';

describe('createFileStore with encryption: ciphertext tampered on disk', () => {
  it('a valid checksum over a changed ciphertext is a miss and a counted error, never a wrong answer', async () => {
    const directory = temporaryDirectory();
    const encryption = { keys: { k1: randomBytes(32) } };
    const cache = createPromptCache<string, string>({
      store: createFileStore({ directory, persistStats: false }),
      encryption,
    });
    expect((await cache.getOrCompute('q', async () => 'the secret answer')).stored).toBe(true);
    const file = entryFile(directory, hashKey(cache.keyFor('q')));
    writeFileSync(file, tamperWithStoredValue(readFileSync(file)));

    const result = await cache.getOrCompute('q', async () => 'computed again');
    expect(result).toMatchObject({ status: 'miss', value: 'computed again' });
    expect(cache.stats.snapshot().errors).toBe(1);
    await cache.close();
  });
});
