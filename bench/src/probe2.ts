import { hash } from 'node:crypto';
import { canonicalJson, cloneValue, createPromptCache, deepFreeze } from '@prompt-cache/core';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { converseRequest, converseResponse } from './fixtures.js';
const requests = Array.from({ length: 1000 }, (_, i) => converseRequest(i));
const store = createMemoryStore();
const cache = createPromptCache({ store });
for (let i = 0; i < 1000; i++) await cache.getOrCompute(requests[i], async () => converseResponse(i));
const frozen = deepFreeze(converseResponse(1));
const text = JSON.stringify(converseResponse(1));
const N = 50000;
async function time(name: string, fn: (i: number) => unknown) {
  for (let i = 0; i < 5000; i++) await fn(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await fn(i);
  console.log(name.padEnd(12), (Number(process.hrtime.bigint() - t) / N).toFixed(0), 'ns');
}
for (let round = 0; round < 2; round++) {
  await time('canon', (i) => canonicalJson(requests[i % 1000]));
  await time('floor', (i) => hash('sha256', canonicalJson(requests[i % 1000]), 'hex'));
  await time('keyFor', (i) => cache.keyFor(requests[i % 1000]));
  await time('clone', () => cloneValue(frozen));
  await time('parse', () => JSON.parse(text));
  await time('hit', (i) => cache.getOrCompute(requests[i % 1000], async () => { throw new Error('x'); }));
}
