import { canonicalJson } from '@prompt-cache/core';
import { converseRequest } from './fixtures.js';
const requests = Array.from({ length: 1000 }, (_, i) => converseRequest(i));
const N = 100000;
function time(name: string, fn: (i: number) => unknown) {
  for (let i = 0; i < 10000; i++) fn(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(i);
  console.log(name.padEnd(12), (Number(process.hrtime.bigint() - t) / N).toFixed(0), 'ns');
}
for (let r = 0; r < 2; r++) {
time('stringify', (i) => JSON.stringify(requests[i % 1000]));
time('canon', (i) => canonicalJson(requests[i % 1000]));
time('canon same', () => canonicalJson(requests[0]));
time('str same', () => JSON.stringify(requests[0]));
}
