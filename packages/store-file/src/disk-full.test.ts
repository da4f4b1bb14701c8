import { createPromptCache } from '@prompt-cache/core';
import { describe, expect, it } from 'vitest';
import { mountTmpfs } from '../test/tmpfs-mount.js';
import { createFileStore } from './file-store.js';

// A real full disk: a 64 KiB tmpfs (mounting needs root, which CI has).
const mountPoint = mountTmpfs('size=64k', 'the disk-full test');

describe.skipIf(!mountPoint)('createFileStore on a full disk', () => {
  it('fails open: every answer comes back, failed writes are counted, earlier entries still hit', async () => {
    const store = createFileStore({ directory: mountPoint!, persistStats: false });
    const cache = createPromptCache<number, { text: string }>({ store });
    const answers = [];
    for (let index = 0; index < 200; index++) {
      answers.push(await cache.getOrCompute(index, async () => ({ text: `${index} `.repeat(400) })));
    }
    expect(answers.every((result, index) => result.value.text.startsWith(`${index} `))).toBe(true);
    const stored = answers.filter((result) => result.stored).length;
    const failed = answers.filter((result) => result.notStoredReason === 'store-error').length;
    expect(stored).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
    expect(stored + failed).toBe(200);
    expect(cache.stats.snapshot().errors).toBe(failed);
    expect((await cache.getOrCompute(0, async () => ({ text: 'recomputed' }))).status).toBe('hit');
  });
});
