import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type CacheEntry,
  type CacheStore,
  canonicalJson,
  createPromptCache,
  ENTRY_SCHEMA_VERSION,
  serializeEntry,
} from '@prompt-cache/core';
import { createFileStore, type FileStore } from '@prompt-cache/store-file';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { miss } from '../expect-hit.js';
import { type ConverseRequest, type ConverseResponse, shortRequest, shortResponse } from '../fixtures.js';
import { latencyTiming, measure } from '../measure.js';
import { type Goal, type ResultRow, type Suite, type SuiteContext, verdictOf } from '../suite.js';

/** The hit latency may grow this much from 1,000 entries to the largest size and still count as flat. */
const FLAT_TOLERANCE = 1.3;
/** Requests looked up while timing, spread evenly over the whole key space. */
const SAMPLE = 1000;

interface Case {
  store: 'memory' | 'file';
  entries: number;
}

function casesFor(context: SuiteContext): { cases: Case[]; left: string[] } {
  if (context.tiny)
    return {
      cases: [
        { store: 'memory', entries: 50 },
        { store: 'memory', entries: 500 },
        { store: 'file', entries: 20 },
        { store: 'file', entries: 100 },
      ],
      left: [],
    };
  const memory: Case[] = [1000, 100_000, 1_000_000].map((entries) => ({ store: 'memory', entries }));
  const file: Case[] = [1000, 100_000].map((entries) => ({ store: 'file', entries }));
  if (!context.quick) return { cases: [...memory, ...file], left: [] };
  return {
    cases: [memory[0]!, memory[1]!, file[0]!],
    left: ['memory with 1,000,000 entries', 'file with 100,000 entries'],
  };
}

/**
 * Writes `count` entries straight into the file store's directory: the bytes its `set` writes (core's
 * `serializeEntry` with the key) at the path it uses (`entryPath`), but with plain synchronous writes instead of
 * its atomic temporary-file-and-rename, which would make a 100k fill take minutes. Hits then go through the store.
 */
function fillFileStore(store: FileStore, keyFor: (request: ConverseRequest) => string, count: number) {
  const createdAt = Date.now();
  const directories = new Set<string>();
  for (let index = 0; index < count; index++) {
    const key = keyFor(shortRequest(index));
    const path = store.entryPath(key);
    const directory = dirname(path);
    if (!directories.has(directory)) {
      mkdirSync(directory, { recursive: true });
      directories.add(directory);
    }
    const entry: CacheEntry = {
      version: ENTRY_SCHEMA_VERSION,
      value: JSON.stringify(shortResponse(index)),
      createdAt,
      expiresAt: null,
      meta: {},
    };
    writeFileSync(path, serializeEntry(entry, key));
  }
}

/**
 * Hit latency as the cache grows: the memory store with 1k, 100k and 1M entries, the file store with 1k and
 * 100k (in a temporary directory). Small answers keep a million entries within memory. Each size is timed on
 * the same number of lookups, spread over the whole key space, beside the key alone for the same requests.
 */
export const scalingSuite: Suite = {
  id: 'scaling',
  title: 'Scaling: hit latency with 1k to 1M entries (short requests, ~0.3 KB answers)',
  async run(context) {
    const { cases, left } = casesFor(context);
    const rows: ResultRow[] = [];
    const firstOf = new Map<string, number>();
    const goals: Goal[] = [];
    for (const { store: kind, entries } of cases) {
      const directory =
        kind === 'file' ? mkdtempSync(join(tmpdir(), 'prompt-cache-bench-scaling-')) : undefined;
      try {
        const store: CacheStore =
          kind === 'memory'
            ? createMemoryStore({ maxEntries: entries })
            : // No entry limit: a limit makes writes rescan the directory now and then, which only slows the fill.
              createFileStore({ directory, maxEntries: Infinity, maxBytes: Infinity, persistStats: false });
        const cache = createPromptCache<ConverseRequest, ConverseResponse>({ store, ttlSeconds: 0 });
        const filled = performance.now();
        if (kind === 'memory') {
          for (let index = 0; index < entries; index++)
            await cache.getOrCompute(shortRequest(index), async () => shortResponse(index));
        } else {
          fillFileStore(store as FileStore, (request) => cache.keyFor(request), entries);
        }
        const fillMs = performance.now() - filled;
        const sampleSize = Math.min(SAMPLE, entries);
        const sample = Array.from({ length: sampleSize }, (_, position) =>
          Math.floor((position * entries) / sampleSize),
        );
        const requests = sample.map(shortRequest);
        for (const position of [0, sampleSize - 1]) {
          assert.deepEqual(
            (await cache.getOrCompute(requests[position]!, miss)).value,
            shortResponse(sample[position]!),
          );
        }
        let next = 0;
        const pick = () => next++ % sampleSize;
        const results = await measure(
          {
            key: () => hash('sha256', canonicalJson(requests[pick()]), 'hex'),
            hit: () => cache.getOrCompute(requests[pick()]!, miss),
          },
          latencyTiming(context, { timeMs: 350, rounds: 10 }),
        );
        await cache.close();
        const hit = results.get('hit')!;
        const first = firstOf.get(kind) ?? hit.medianNs;
        firstOf.set(kind, first);
        rows.push({
          label: `${kind} store, ${entries.toLocaleString('en-US')} entries`,
          medianNs: hit.medianNs,
          opsPerSecond: hit.opsPerSecond,
          ratio: hit.medianNs / first,
          cells: { key: results.get('key')!.medianNs, fill: fillMs },
        });
      } finally {
        if (directory) rmSync(directory, { recursive: true, force: true });
      }
    }
    for (const kind of ['memory', 'file'] as const) {
      const mine = rows.filter((row) => row.label.startsWith(kind));
      if (mine.length < 2) continue;
      const last = mine[mine.length - 1]!;
      goals.push({
        goal: `${kind} store hit latency flat (largest size within ${FLAT_TOLERANCE}x of the smallest)`,
        met: last.ratio! <= FLAT_TOLERANCE,
        detail: `${last.label.replace(`${kind} store, `, '')}: ${last.ratio!.toFixed(2)}x`,
      });
    }
    const notes = [
      `Ratio = the hit's median against the same store's smallest size. "Key alone" is canonical JSON + ` +
        `SHA-256 of the same requests, the part of a hit that does not depend on the store. The memory store is ` +
        `filled through getOrCompute; the file store's directory is filled with the bytes its set() writes, at the ` +
        `paths it uses, by plain synchronous writes (its atomic write would make a 100k fill take minutes). The file ` +
        `store runs with no entry or byte limit and no persisted stats; its hits do the same work either way.`,
    ];
    if (left.length) notes.push(`Quick run: ${left.join(' and ')} left out (run \`pnpm bench\` for them).`);
    return {
      id: this.id,
      title: this.title,
      reference: 'the same store with its smallest number of entries',
      columns: [
        { id: 'medianNs', title: 'median hit', format: 'ns' },
        { id: 'key', title: 'key alone', format: 'ns' },
        { id: 'ratio', title: 'vs smallest', format: 'ratio' },
        { id: 'fill', title: 'time to fill', format: 'ms' },
      ],
      rows,
      goals,
      verdicts: goals.map(verdictOf),
      notes,
    };
  },
};
