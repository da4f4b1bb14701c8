/**
 * What was changed on the hit path and in the memory store, with the measurements behind each change and the
 * commands that reproduce them. Written by hand (it compares commits, which one run cannot), and placed in
 * docs/BENCHMARKS.md by docs-page.ts. Instruction counts come from callgrind, which a busy machine does not
 * disturb; wall-clock figures on the 2-core machine these were taken on moved by tens of percent between runs.
 */
export const PERFORMANCE_LOG = `## Hit path and memory store: changes and their measurements

Instruction counts per call come from \`valgrind --tool=callgrind\` on a bundle of the code: the difference between
a run of 2,000 and one of 12,000 calls, after 3,000 warm-up calls, divided by 10,000. They repeat within a few
percent even on a loaded machine, unlike wall-clock time. The counts in the table come from an esbuild bundle of
the loop; \`bench/scripts/instructions.sh\` runs the same loop through tsx and counts fewer instructions
(canonical JSON after the change: 21,959), so compare counts from one harness only. Under valgrind SHA-256 runs without the CPU's SHA
extensions, so it weighs more in these counts than on hardware; compare the counts of the parts around it.

| change | measured | before | after |
|---|---|---:|---:|
| canonical JSON writes strings that need no escaping as \`"…"\` instead of calling \`JSON.stringify\`, and sorts small key lists by insertion | instructions per \`canonicalJson\` of the ~2 KB Converse request | 71,321 | 46,241 (-35%) |
| (same) | instructions per \`keyFor\` (canonical JSON + SHA-256 + prefix) | 120,872 | 105,829 (-12%) |
| (same) | instructions per memory hit, \`getOrCompute\` | 151,441 | 121,019 (-20%) |

Where the rest of a memory hit goes, from \`node --cpu-prof\` of a loop of hits and from callgrind: about 60% is
the key (canonical JSON and SHA-256), about 7% the copy of the decoded answer (\`cloneValue\`: 7,800 instructions
for the ~1.5 KB response), and the rest is reading the entry's scattered objects (slot, envelope, metadata,
decoded value), the stats and the result object. Reading the metadata of one of 1,000 entries costs about 200 ns
more than reading that of one entry again and again: cache misses, which grow with the number of entries.

Wall-clock figures of the hit path, same command (\`--quick --only hit-path\`), before and after these changes, on
the shared 2-core machine: before, the hit took 1.74x the key (11.60 µs; cache-manager's \`wrap\` 8.83 µs); after,
1.51x in one quick run and 1.78x in a full run (12.15 µs; cache-manager 11.02 µs) an hour later under heavier
load. The floor of the later runs also leaves \`requestMetadata\` out, as prompt-cache's key does, so it is a
little cheaper than before. At this noise the instruction counts above are the figures to trust.

The memory store at a million entries: the bare \`Map\` floor itself slows from 3.16 µs at 1,000 entries to 9.21 µs
at 1,000,000 (2.9x: cache misses), so "flat within 1.3x of the smallest" cannot be met by any store; the scaling
table compares the store with that floor at each size. Measured and not taken: a \`Map\` with second-chance
(CLOCK) eviction in place of lru-cache looks an entry up in 168 ns instead of 750 ns at 1,000,000 entries (same
process, 1,000 keys spread over the key space, best of 9 rounds), about 0.6 µs of a 9 to 15 µs hit. It evicts
only approximately the least recently used entry, and the memory store promises lru-cache's exact LRU, so lru-cache
stays.

Goals out of reach as set, and the measurements that show why:
- **memory per entry ≤ 1.5x its encoded bytes**: with the ~0.24 KB answers of the scaling suite, a bare \`Map\`
  from a copy of each key to a copy of its encoded value already takes about 1.7x the encoded bytes (the 78-character
  key and the Map's slot cost more than half of what the value does). The store also keeps the envelope, the metadata and
  the decoded value that makes hits copy instead of parse, hence about 5.7x.
- **hit ≤ 1.15x the key**: the copy alone costs about 7% of the key and the entry's cache misses about as much
  again, before stats and the result object; a caller's own copy cannot be skipped without weakening isolation.

Reproduce:

\`\`\`bash
pnpm --filter @prompt-cache/bench bench --only hit-path,scaling          # the tables above
pnpm --filter @prompt-cache/bench bench --quick --only hit-path,scaling  # under a minute
bench/scripts/instructions.sh hit    # instructions per call (canonical | floor | keyFor | map | hit), ~3 min
\`\`\`
`;
