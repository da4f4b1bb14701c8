// One of several processes hammering the same directory (run by multi-process.test.ts):
//   node --conditions=@prompt-cache/source --import tsx test/multi-process-worker.ts <directory> <ms> <seed>
// It reads, writes, deletes and prunes a small set of shared keys, and records one stats delta per
// operation through a stats backend that compacts very often. It prints a JSON report on stdout.
import { CorruptEntryError, ENTRY_SCHEMA_VERSION } from '@prompt-cache/core/store-kit';
import { createFileStatsBackend, createFileStore } from '../src/index.ts';

const [directory, durationText, seedText] = process.argv.slice(2);
if (!directory || !durationText || !seedText)
  throw new Error('usage: multi-process-worker <directory> <ms> <seed>');
const keys = Array.from({ length: 24 }, (_, index) => `shared:v1:key-${index}`);
let seed = Number(seedText);
const next = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const store = createFileStore({ directory, maxEntries: 16, persistStats: false });
const stats = createFileStatsBackend({ directory, compactAtBytes: 512, compactIntervalMs: 20 });
const report = {
  operations: 0,
  sets: 0,
  hits: 0,
  misses: 0,
  deletes: 0,
  prunes: 0,
  corrupt: 0,
  wrong: 0,
  failures: [] as string[],
};

const deadline = Date.now() + Number(durationText);
while (Date.now() < deadline) {
  const key = keys[Math.floor(next() * keys.length)]!;
  const roll = next();
  try {
    if (roll < 0.45) {
      // Values up to ~200 KB, so that writes take long enough to overlap.
      const length = Math.floor(next() * 200_000);
      const value = JSON.stringify({ key, length, fill: 'x'.repeat(length) });
      await store.set(key, {
        version: ENTRY_SCHEMA_VERSION,
        value,
        createdAt: Date.now(),
        expiresAt: null,
        meta: {},
      });
      report.sets++;
    } else if (roll < 0.93) {
      const entry = await store.get(key);
      if (!entry) report.misses++;
      else {
        const value = JSON.parse(entry.value as string) as { key: string; length: number; fill: string };
        if (value.key !== key || value.fill.length !== value.length) report.wrong++;
        report.hits++;
      }
    } else if (roll < 0.99) {
      await store.delete(key);
      report.deletes++;
    } else {
      await store.prune();
      report.prunes++;
    }
  } catch (error) {
    if (error instanceof CorruptEntryError) report.corrupt++;
    else report.failures.push(String(error));
  }
  report.operations++;
  await stats.add({ operations: 1, usd: 0.25 });
}
await store.close();
process.stdout.write(JSON.stringify(report));
