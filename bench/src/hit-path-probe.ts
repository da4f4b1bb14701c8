import { hash } from 'node:crypto';
import { canonicalJson, createPromptCache } from '@prompt-cache/core';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { Bench } from 'tinybench';
import { converseRequest, converseResponse } from './fixtures.js';

const requests = Array.from({ length: 1000 }, (_, i) => converseRequest(i));
console.log('req bytes', JSON.stringify(requests[0]).length, 'res bytes', JSON.stringify(converseResponse(0)).length);
const cache = createPromptCache({ store: createMemoryStore() });
for (let i = 0; i < requests.length; i++) await cache.getOrCompute(requests[i], async () => converseResponse(i));
let n = 0;
const bench = new Bench({ time: 1500, warmup: true });
bench.add('floor', () => {
  const r = requests[n++ % 1000];
  hash('sha256', canonicalJson(r), 'hex');
});
bench.add('canon only', () => { canonicalJson(requests[n++ % 1000]); });
bench.add('hit', async () => { await cache.getOrCompute(requests[n++ % 1000], async () => { throw new Error('miss'); }); });
bench.add('parse', () => { JSON.parse(JSON.stringify(converseResponse(1))); });
await bench.run();
for (const t of bench.tasks) console.log(t.name, (t.result as any).latency.p50 * 1e6, 'ns');
