import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPromptCache } from '@prompt-cache/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileStore } from './file-store.js';

// A real full disk: a 64 KiB tmpfs. Mounting needs root (CI runs as root); elsewhere the test is skipped.
const mountPoint = mkdtempSync(join(tmpdir(), 'prompt-cache-full-disk-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.warn(`[store-file] skipping the disk-full test: cannot mount a tmpfs here (needs root)`);
}

describe.skipIf(!mounted)('createFileStore on a full disk', () => {
  afterAll(() => {
    execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('fails open: every answer comes back, failed writes are counted, earlier entries still hit', async () => {
    const store = createFileStore({ directory: mountPoint, persistStats: false });
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
