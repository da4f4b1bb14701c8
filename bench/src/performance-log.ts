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

The memory store kept each entry as \`deepFreeze({ ...entry, meta: { ...entry.meta } })\`. Freezing a spread copy
gives each object a hidden class of its own: 100,000 entries copied and frozen that way grow the heap by 552 B per
entry, against 152 B for the same fields copied into an object literal (metadata by \`Object.assign\`) and then
frozen, and every hit that reads an entry's fields meets a different hidden class. The store now builds its frozen
copy field by field, so its entries share one hidden class. The old and the new store side by side in one process
(filled through \`getOrCompute\` with the scaling suite's short requests, hits timed against the bare \`Map\` floor
with tinybench, 8 rounds of 300 ms, on the shared 2-core machine under a load average of 10 to 20):

| entries | measured | old store | new store |
|---|---|---:|---:|
| 100,000 | heap per entry (237 encoded bytes) | 1,313 B | 966 B (-26%) |
| 100,000 | hit / bare Map | 1.93x (10.10 / 5.24 µs) | 1.38x (8.16 / 5.90 µs) |
| 1,000,000 | heap per entry (238 encoded bytes) | 1,309 B | 965 B (-26%) |
| 1,000,000 | hit / bare Map | 1.51x (16.57 / 10.98 µs) | 1.17x (13.25 / 11.35 µs) |

Goals out of reach as set, and the measurements that show why:
- **memory per entry ≤ 1.5x its encoded bytes**: with the ~0.24 KB answers of the scaling suite, a bare \`Map\`
  from a copy of each key to a copy of its encoded value already takes about 1.7x the encoded bytes (the 78-character
  key and the Map's slot cost more than half of what the value does). The store also keeps the envelope, the metadata and
  the decoded value that makes hits copy instead of parse (about 390 B per entry by itself), hence about 4x (5.5x
  before the change below).
- **hit ≤ 1.15x the key**: the copy alone costs about 7% of the key and the entry's cache misses about as much
  again, before stats and the result object; a caller's own copy cannot be skipped without weakening isolation.

## Gateway: where a cached hit's time goes

The gateway suite loads the built \`prompt-cache serve\` and a bare server with the same bytes, and reads each server
process's CPU time from /proc around the measured rounds: the CPU a request costs the server, whatever else the
machine is doing. On this 2-core machine, loaded by three other jobs (load average 10 to 35), HTTP/1.1 keep-alive with
50 connections, 50,000 requests per measurement, 3 alternating measurements each:

| server | CPU per request |
|---|---:|
| bare \`node:http\` server | 15 to 17 µs |
| the gateway's listener and reply batching with a handler that only sends the cached bytes (an experiment, not committed) | 20 to 25 µs |
| the gateway, cached Converse hit | 29 to 33 µs |

A full \`--only gateway\` run later, under a load average of 12 to 22, put the bare \`node:http\` server at 18.1 µs and the
gateway at 35.2 µs (54% of the bare server's rate), and over h2c the bare \`node:http2\` server at 39.3 µs and the
gateway at 65.9 µs (60%).

\`node --cpu-prof\` of both servers under the same load puts about half of the bare server's CPU and 40% of the
gateway's in the kernel's \`writev\` (one per answer for both: the loopback send wakes the client), and spreads the
gateway's own work thinly: the SHA-256 of the 2 KB body that finds its key without parsing it (about 2 µs; SHA-256
with the CPU's SHA extensions is the fastest of Node's hashes here, and a Map keyed by the body's bytes costs more
than hashing them), garbage collection, the HTTP/1.1 parser and header writing that both servers share, and
fractions of a microsecond each for routing, the request id, the model id's validation, the cache lookup, the
activity record and the metrics. Writing without the end-of-turn batching of apps/server/src/replies.ts measured 36
to 39 µs per request: the batching stays. Changed in this round: the query string is parsed only by the routes
that read it, a body that arrives in one chunk is not copied, \`application/json\` is recognised without parsing the
header, and activity records are built without spreads; together within the noise of these measurements.

Because the load generator shares the two cores, requests per second follow the CPU both processes spend per
request. Taking autocannon's cost per request as the same against both servers (about 15 µs, from a measured ratio
of 67% at 15 and 30 µs), reaching 80% of the bare server's rate needs the gateway's hit at about 22 µs of server
CPU: about a quarter less than now. The next candidates, each to be measured the same way: answering a known
body's hit in the request handler before routing (one \`Map\` lookup after the hash, no route, context or promise
chain), the \`serve\` wrapper's per-request closure and \`close\` listener in the dual-protocol listener, and the
lookup's promise hops in @prompt-cache/bedrock's controller.

### The hit's own work, measured instruction by instruction

\`valgrind --tool=callgrind --separate-threads=yes\` on the gateway's main thread, counters zeroed and dumped with
\`callgrind_control -z\` / \`-d\` around 6,000 hits (10 connections, after 1,500 hits of warm-up); \`perf record -g\`
of \`node --perf-basic-prof\` for where the time goes (both work on these machines):

| change | instructions per hit, gateway main thread |
|---|---:|
| before this round (SHA-256 of the body: 49k of these without the SHA extensions valgrind lacks) | 183,700 |
| a 52-bit fingerprint of the body, then a byte comparison, in place of the SHA-256 (request-keys.ts) | about 141,000 |
| http-kit's \`readBody\` leaves its four listeners on the request once settled (removing them cost about 2% of the gateway's CPU in \`perf\`); \`CacheStats\` counts in a \`Float64Array\` by place (\`recordHit\`: 235 ns to 30–75 ns, three per gateway hit); the listener's \`once('close')\` became \`on\` | 129,000 |
| a bare \`node:http\` server sending the same bytes | 80,900 |

\`--only gateway\`, same machine: before, 64% of the bare server (42.9 µs of server CPU per request against 26.8 µs);
after, 72%, 68% and 77% in three runs (38.4, 39.9 and 42.6 µs against 26.8, 25.9 and 32.2 µs). Split by /proc into
user and kernel time, the bare server spends 19 µs in user space and 6 µs in the kernel, the gateway 32 µs and 5.4 µs:
the gap is all in user space.

The suite now also loads a bare server that reads the body and compares it with the request's bytes before it
answers: it runs at the bare server's rate (100.5%), so reading a 2 KB body is not what costs. Experiments (not
committed) put the rest: a minimal caching server (an async handler, \`readBody\`, the fingerprint, a \`Map\` and a
new header object per answer) reached 79% to 85% of the bare server; the same with the body read by two listeners
written without closures and no promise, 86% to 89%. In \`perf\` the gateway's own code is about a quarter of its
CPU: the body's fingerprint about 3.5%, the lookup with its result and info objects about 3%, the handler and the
lane about 5%, the activity record, its stats and the metrics about 3%, the body read about 3%. The next
candidates: a lane that reads the body with listeners and no promise, a synchronous lookup for in-process stores
(no promise hops), and the hit's info object built without a spread.

## Bedrock: a hit before the SDK resolves its stack

\`client.send\` resolves the client's middleware stack on every send (\`Command.resolveMiddleware\`: the client and
command stacks concatenated, sorted and composed), about 25 µs, before any middleware runs; even \`identify()\` on
the stack costs about as much. A hit that answered in the middleware paid it each time: 37 to 38 µs through a
default client, 12.8 µs with the SDK's \`cacheMiddleware: true\`. \`withPromptCache\` now answers an exact hit of an
in-process store in \`client.send\` itself (packages/bedrock/src/send-shortcut.ts) when nothing the stack would run
on that hit could tell: only the SDK's logger (with no logger configured) and the cache at the \`initialize\` step.
The stack is read again only after one of its methods that change it was called. Hit through a default client,
same command (\`--quick --only bedrock\`): 38.87 µs before, 11.69 µs after; full run 10.23 µs.

## What a copy costs, and Redis at one call in flight

The hit-path table now has a bare \`Map\` of the same frozen answers, read with the same key and copied with the
same \`cloneValue\` in an async function: the least any cache that hands out a copy does. It measured 1.29x and
1.34x the key floor in two quick runs and 1.18x in the full run, so "within 1.15x of the floor while returning a
copy" is below what a bare \`Map\` costs; prompt-cache's hit was 1.13x to 1.21x of that bare copy. cache-manager's
\`wrap\` hands out its stored object and measures about the bare copy's time: "faster than every peer" would ask
the whole cache (LRU, TTL, stats, result) to cost less than one copy of the answer. Under callgrind the hit and the
bare copy cost the same instructions (104,307 and 104,967 per call), so what separates them in wall-clock time is
memory traffic (the entry's scattered objects, the allocations of the copy and the result), not code.

At one call in flight every Node client waits for one round trip (about 100 µs on this machine), and the Redis
table now shows a raw ioredis \`GET\` + \`JSON.parse\` beside the libraries. The design that answers without a round
trip is Redis's client-side caching, now the store's \`nearCache\` option: the store asks Redis to track its reads
(\`CLIENT TRACKING ON REDIRECT\`) into a connection of its own, and forgets what Redis names as changed. That
connection speaks RESP itself: an ioredis 6 subscriber (RESP3 by default) received the invalidations as RESP3
pushes (\`>2 invalidate [keys]\`, read off the socket) and emitted no message for them. \`--only redis\`, full mode, one run: a hit at one call in flight went from 14.9 k/s (1.5 KB) and 11.1 k/s
(10 KB) to 450 k/s and 506 k/s with \`nearCache: true\`.

Reproduce:

\`\`\`bash
pnpm --filter @prompt-cache/bench bench --only hit-path,scaling          # the tables above
pnpm --filter @prompt-cache/bench bench --only gateway                   # requests per second and server CPU per request
pnpm --filter @prompt-cache/bench bench --quick --only bedrock          # a Converse hit through client.send
pnpm --filter @prompt-cache/bench bench --quick --only hit-path,scaling  # under a minute
bench/scripts/instructions.sh hit    # instructions per call (canonical | floor | keyFor | map | hit), ~3 min
\`\`\`
`;
