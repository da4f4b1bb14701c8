// `node ... src/instruction-loop.ts <part> <calls>`: the hit path's parts in a plain loop, for callgrind, whose
// instruction counts a busy machine does not disturb. Run it for two numbers of calls and divide the difference
// of the two "Collected" counts by the difference of the calls (see bench/scripts/instructions.sh).
import { hash } from 'node:crypto';
import { type CacheEntry, createPromptCache } from '@prompt-cache/core';
import { canonicalJson, cloneValue } from '@prompt-cache/core/store-kit';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { miss } from './expect-hit.js';
import { type ConverseResponse, converseRequest, converseResponse } from './fixtures.js';

const ENTRIES = 1000;
const WARM_UP = 3000;
const requests = Array.from({ length: ENTRIES }, (_, index) => converseRequest(index));
const cache = createPromptCache<(typeof requests)[number], ConverseResponse>({
  store: createMemoryStore({ maxEntries: ENTRIES }),
});
for (const [index, request] of requests.entries())
  await cache.getOrCompute(request, async () => converseResponse(index));
const bare = new Map<string, CacheEntry>();
for (const request of requests) {
  const key = cache.keyFor(request);
  bare.set(key, cache.store.get(key) as CacheEntry);
}

const parts: Record<string, (index: number) => unknown> = {
  canonical: (index) => canonicalJson(requests[index]),
  floor: (index) => hash('sha256', canonicalJson(requests[index]), 'hex'),
  keyFor: (index) => cache.keyFor(requests[index]!),
  map: (index) => cloneValue(bare.get(cache.keyFor(requests[index]!))?.decoded),
  hit: (index) => cache.getOrCompute(requests[index]!, miss),
};
const [name = '', calls = ''] = process.argv.slice(2);
const part = parts[name];
if (!part || !/^\d+$/.test(calls)) {
  console.error(`usage: instruction-loop <${Object.keys(parts).join('|')}> <calls>`);
  process.exit(2);
}
for (let call = 0; call < WARM_UP + Number(calls); call++) await part(call % ENTRIES);
