import { appendFileSync, existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../test/temp-directory.js';
import { createFileStatsBackend } from './file-stats.js';

describe('createFileStatsBackend', () => {
  it('sums deltas across instances, and compaction keeps the totals', async () => {
    const directory = temporaryDirectory();
    const first = createFileStatsBackend({ directory, compactAtBytes: 64, compactIntervalMs: 0 });
    const second = createFileStatsBackend({ directory, compactAtBytes: 64, compactIntervalMs: 0 });
    for (let round = 0; round < 50; round++) {
      await first.add({ hits: 1, savedUsd: 0.1 });
      await second.add({ misses: 2, 'hitLatency.3': 1 });
    }
    expect(await first.read()).toEqual({
      hits: 50,
      savedUsd: expect.closeTo(5, 9),
      misses: 100,
      'hitLatency.3': 50,
    });
    expect(readdirSync(join(directory, 'stats'))).toContain('stats.json'); // it did compact
  });

  it('ignores zero, non-finite and damaged deltas', async () => {
    const directory = temporaryDirectory();
    const stats = createFileStatsBackend({ directory });
    await stats.add({ hits: 0, errors: Number.NaN });
    expect(existsSync(join(directory, 'stats', 'deltas.log'))).toBe(false);
    await stats.add({ hits: 1 });
    appendFileSync(
      join(directory, 'stats', 'deltas.log'),
      '\n{"hits": 5, "misses": "many"\n["not", "an object"]\n{"hits":',
    ); // torn
    await stats.add({ hits: 2 });
    expect(await stats.read()).toEqual({ hits: 3 });
  });

  it('reset() zeroes the totals, breaking a lock left behind by a crashed process', async () => {
    const directory = temporaryDirectory();
    const stats = createFileStatsBackend({ directory });
    await stats.add({ hits: 7 });
    const lock = join(directory, 'stats', 'compact.lock');
    writeFileSync(lock, '999999@elsewhere crashed');
    const longAgo = (Date.now() - 60_000) / 1000;
    utimesSync(lock, longAgo, longAgo);
    await stats.reset();
    expect(await stats.read()).toEqual({});
    expect(existsSync(lock)).toBe(false);
    await stats.add({ hits: 1 });
    expect(await stats.read()).toEqual({ hits: 1 });
  });

  it('leaves a fresh lock alone: compaction waits for its holder, appends carry on', async () => {
    const directory = temporaryDirectory();
    const stats = createFileStatsBackend({ directory, compactAtBytes: 1, compactIntervalMs: 0 });
    await stats.add({ hits: 1 });
    const lock = join(directory, 'stats', 'compact.lock');
    writeFileSync(lock, 'held by a live process');
    for (let round = 0; round < 5; round++) await stats.add({ hits: 1 });
    expect(await stats.read()).toEqual({ hits: 6 });
    expect(existsSync(lock)).toBe(true);
  });

  it('removeStrayFiles() removes only old temporary files of its own naming', async () => {
    const directory = temporaryDirectory();
    const stats = createFileStatsBackend({ directory });
    await stats.add({ hits: 1 });
    const root = join(directory, 'stats');
    const old = join(root, 'stats.json.123-0badc0de.tmp');
    const fresh = join(root, 'stats.json.124-0badc0de.tmp');
    const foreign = join(root, 'notes.tmp');
    for (const path of [old, fresh, foreign]) writeFileSync(path, '{}');
    const longAgo = (Date.now() - 120_000) / 1000;
    utimesSync(old, longAgo, longAgo);
    utimesSync(foreign, longAgo, longAgo);
    expect(await stats.removeStrayFiles(60_000)).toBe(1);
    expect([existsSync(old), existsSync(fresh), existsSync(foreign)]).toEqual([false, true, true]);
    expect(await stats.read()).toEqual({ hits: 1 });
  });
});
