import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStoredEntry } from '@prompt-cache/core/store-kit';
import { spawnSourceWorker } from '@prompt-cache/test-redis';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../test/temp-directory.js';
import { createFileStatsBackend } from './file-stats.js';
import { hashKey } from './layout.js';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const worker = join(packageDirectory, 'test', 'multi-process-worker.ts');

interface WorkerReport {
  operations: number;
  sets: number;
  hits: number;
  misses: number;
  corrupt: number;
  wrong: number;
  failures: string[];
}

function runWorker(directory: string, durationMs: number, seed: number): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawnSourceWorker(worker, [directory, String(durationMs), String(seed)], packageDirectory);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as WorkerReport);
      else reject(new Error(`worker ${seed} exited with ${code}: ${stderr}`));
    });
  });
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('createFileStore: several processes at once', () => {
  it('4 processes reading and writing the same keys leave only whole entries, no temp files, exact stats', async () => {
    const directory = temporaryDirectory();
    const reports = await Promise.all([1, 2, 3, 4].map((seed) => runWorker(directory, 1_200, seed)));

    for (const report of reports) {
      expect(report.failures).toEqual([]);
      expect(report.corrupt).toBe(0); // a torn entry would fail its checksum
      expect(report.wrong).toBe(0);
      expect(report.sets).toBeGreaterThan(0);
      expect(report.hits).toBeGreaterThan(0);
    }

    const files = filesUnder(directory);
    expect(files.filter((path) => path.endsWith('.tmp'))).toEqual([]);
    const entries = files.filter((path) => relative(directory, path).startsWith('entries'));
    expect(entries.length).toBeGreaterThan(0);
    for (const path of entries) {
      const { key } = parseStoredEntry(readFileSync(path)); // throws on a torn or damaged file
      expect(basename(path)).toBe(`${hashKey(key!)}.entry`);
      expect(basename(dirname(path))).toBe(hashKey(key!).slice(0, 2));
    }

    // Every worker recorded one delta per operation while others compacted the log: none was lost.
    const operations = reports.reduce((total, report) => total + report.operations, 0);
    const totals = await createFileStatsBackend({ directory }).read();
    expect(totals.operations).toBe(operations);
    expect(totals.usd).toBeCloseTo(operations * 0.25, 6);
    expect(files.some((path) => /deltas\.[0-9a-f]+\.log$/.test(path))).toBe(true); // compaction did run
  });
});
