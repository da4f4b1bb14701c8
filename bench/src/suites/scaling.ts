import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type CacheEntry, type CacheStore, createPromptCache } from '@prompt-cache/core';
import { cloneValue, ENTRY_SCHEMA_VERSION, serializeEntry } from '@prompt-cache/core/store-kit';
import { createFileStore, type FileStore } from '@prompt-cache/store-file';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { miss } from '../expect-hit.js';
import { type ConverseRequest, type ConverseResponse, shortRequest, shortResponse } from '../fixtures.js';
import { settledMemory } from '../heap.js';
import { latencyTiming, measure } from '../measure.js';
import { requestKey } from '../request-key.js';
import { type Goal, type ResultRow, type Suite, type SuiteContext, verdictOf } from '../suite.js';

/** The hit latency may grow this much from 1,000 entries to the largest size and still count as flat. */
const FLAT_TOLERANCE = 1.3;
/** The memory store's hit may cost this much more than a bare `Map` of the same size doing the same copy. */
const MAP_TOLERANCE = 1.3;
/** Memory per cached entry, against the entry's encoded bytes, at the size it is measured. */
const MEMORY_TOLERANCE = 1.5;
/** The memory store's size at which memory per entry is measured (the largest one in a tiny run). */
const MEMORY_MEASURED_AT = 100_000;
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
        const memoryBefore = kind === 'memory' ? settledMemory() : undefined;
        const filled = performance.now();
        if (kind === 'memory') {
          for (let index = 0; index < entries; index++)
            await cache.getOrCompute(shortRequest(index), async () => shortResponse(index));
        } else {
          fillFileStore(store as FileStore, (request) => cache.keyFor(request), entries);
        }
        const fillMs = performance.now() - filled;
        const memory = memoryBefore && (await memoryPerEntry(store, entries, memoryBefore));
        // The floor of the memory hierarchy: a bare Map of the same size holding the same entries, looked up by
        // the same key and copied the same way as a hit copies them; no expiry check, no eviction mark, no stats.
        const bare = kind === 'memory' ? await bareMapOf(store) : undefined;
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
            key: () => requestKey(requests[pick()]),
            hit: () => cache.getOrCompute(requests[pick()]!, miss),
            ...(bare && {
              map: () => cloneValue(bare.get(cache.keyFor(requests[pick()] as ConverseRequest))?.decoded),
            }),
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
          cells: {
            key: results.get('key')!.medianNs,
            map: results.get('map')?.medianNs,
            vsMap: bare && hit.medianNs / results.get('map')!.medianNs,
            fill: fillMs,
            ...memory,
          },
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
    const memoryRows = rows.filter((row) => row.label.startsWith('memory'));
    const largest = memoryRows[memoryRows.length - 1];
    if (largest) {
      const vsMap = largest.cells!.vsMap as number;
      goals.push({
        goal: `memory store hit within ${MAP_TOLERANCE}x of a bare Map of the same size doing the same copy`,
        met: vsMap <= MAP_TOLERANCE,
        detail: `${largest.label.replace('memory store, ', '')}: ${vsMap.toFixed(2)}x`,
      });
    }
    const measuredAt =
      memoryRows.find(
        (row) => row.label === `memory store, ${MEMORY_MEASURED_AT.toLocaleString('en-US')} entries`,
      ) ?? largest;
    if (measuredAt) {
      const cells = measuredAt.cells!;
      const heapRatio = (cells.heapPerEntry as number) / (cells.encodedPerEntry as number);
      const floorRatio = (cells.floorPerEntry as number) / (cells.encodedPerEntry as number);
      goals.push({
        goal: `memory per cached entry within ${MEMORY_TOLERANCE}x of its encoded bytes (heap)`,
        met: heapRatio <= MEMORY_TOLERANCE,
        detail:
          `${measuredAt.label.replace('memory store, ', '')}: ${Math.round(cells.heapPerEntry as number)} B of heap ` +
          `(${Math.round(cells.rssPerEntry as number)} B RSS) per entry of ${Math.round(cells.encodedPerEntry as number)} ` +
          `encoded bytes: ${heapRatio.toFixed(2)}x. Unreachable at this entry size: a bare Map of key to encoded ` +
          `value alone holds ${Math.round(cells.floorPerEntry as number)} B (${floorRatio.toFixed(2)}x), before ` +
          `the decoded value a hit copies from (${Math.round(cells.decodedPerEntry as number)} B) and the envelope`,
      });
    }
    const notes = [
      `Ratio = the hit's median against the same store's smallest size. "Key alone" is canonical JSON + ` +
        `SHA-256 of the same requests, the part of a hit that does not depend on the store. The memory store is ` +
        `filled through getOrCompute; the file store's directory is filled with the bytes its set() writes, at the ` +
        `paths it uses, by plain synchronous writes (its atomic write would make a 100k fill take minutes). The file ` +
        `store runs with no entry or byte limit and no persisted stats; its hits do the same work either way.`,
      `"Bare Map" is the floor of the memory store: a Map of the same size holding the same entries, looked up by ` +
        `the same key (cache.keyFor) and copied as a hit copies them (cloneValue of the decoded value), with no ` +
        `expiry check, eviction mark, stats or result object. Memory per entry is the growth of the heap (and of ` +
        `the RSS) from filling the store, after a full garbage collection, divided by the entries: key, envelope, ` +
        `encoded value and decoded value together; "encoded" is the encoded value's size as the store counts it. ` +
        `"Map key→encoded" is the heap a bare Map from a copy of each key to a copy of its encoded value takes: ` +
        `the least any store keeping the entry's bytes can hold, before envelope, metadata or decoded value. ` +
        `"Decoded" is the heap of a copy of each decoded value (JSON.parse of the encoded one): what the store ` +
        `holds beside the bytes so that a hit copies a structure instead of parsing text. With ~240-byte answers ` +
        `and 75-character keys, the key alone is half the encoded bytes, so 1.5x of the encoded bytes is below ` +
        `what key and bytes take by themselves. The store keeps its entries as frozen copies that share one ` +
        `hidden class; frozen spread copies (before) each had a hidden class of their own, about 345 bytes more ` +
        `per entry, and turned every read of an entry's fields into a slow lookup.`,
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
        { id: 'map', title: 'bare Map', format: 'ns' },
        { id: 'vsMap', title: 'vs bare Map', format: 'ratio' },
        { id: 'heapPerEntry', title: 'heap / entry (B)', format: 'count' },
        { id: 'rssPerEntry', title: 'RSS / entry (B)', format: 'count' },
        { id: 'encodedPerEntry', title: 'encoded / entry (B)', format: 'count' },
        { id: 'floorPerEntry', title: 'Map key→encoded / entry (B)', format: 'count' },
        { id: 'decodedPerEntry', title: 'decoded / entry (B)', format: 'count' },
        { id: 'fill', title: 'time to fill', format: 'ms' },
      ],
      rows,
      goals,
      verdicts: goals.map(verdictOf),
      notes,
    };
  },
};

/**
 * Heap and RSS growth per entry since `before`, the encoded bytes per entry the store counts, the heap per entry
 * of the least any store must hold (a bare Map from a copy of each key to a copy of its encoded value), and the
 * heap per entry of a copy of the decoded values.
 */
async function memoryPerEntry(store: CacheStore, entries: number, before: { heapUsed: number; rss: number }) {
  const after = settledMemory();
  const { bytes } = (await store.size?.()) ?? { bytes: Number.NaN };
  const floor = new Map<string, string | Uint8Array>();
  for await (const key of store.keys?.() ?? []) {
    const value = (store.get(key) as CacheEntry).value;
    // Fresh copies, so that the floor counts its own bytes rather than sharing the store's strings.
    floor.set(
      Buffer.from(key).toString(),
      typeof value === 'string' ? Buffer.from(value).toString() : value.slice(),
    );
  }
  const withFloor = settledMemory();
  floor.clear();
  const decoded: unknown[] = [];
  for await (const key of store.keys?.() ?? []) {
    const value = ((await store.get(key)) as CacheEntry).value;
    decoded.push(JSON.parse(typeof value === 'string' ? value : Buffer.from(value).toString()));
  }
  const withDecoded = settledMemory();
  decoded.length = 0;
  const perEntry = (total: number) => Math.round(total / entries);
  return {
    heapPerEntry: perEntry(after.heapUsed - before.heapUsed),
    // RSS grows in pages and chunks, so at 1,000 entries it can even shrink: read it at 100k and up.
    rssPerEntry: perEntry(after.rss - before.rss),
    encodedPerEntry: perEntry(bytes),
    floorPerEntry: perEntry(withFloor.heapUsed - after.heapUsed),
    // Measured after the floor was released, so against the heap with the floor garbage collected.
    decodedPerEntry: perEntry(withDecoded.heapUsed - after.heapUsed),
  };
}

/** A bare Map holding the very entries of an in-process store (shared, so it adds no copy of the data). */
async function bareMapOf(store: CacheStore): Promise<Map<string, CacheEntry>> {
  const bare = new Map<string, CacheEntry>();
  for await (const key of store.keys?.() ?? []) bare.set(key, store.get(key) as CacheEntry);
  return bare;
}
