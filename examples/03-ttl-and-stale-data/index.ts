// Module 3: TTL and stale data. A fake clock moves time forward, so you can watch expiry without waiting.
import { createPromptCache } from '@prompt-cache/core';
import { createFakeClock } from '@prompt-cache/core/testing';
import { createMemoryStore } from '@prompt-cache/store-memory';

const clock = createFakeClock(Date.UTC(2026, 0, 1));
const store = createMemoryStore({ clock });
let version = 1;
const model = async (prompt: string) => `answer #${version} to "${prompt}"`;
const cache = createPromptCache<string, string>({ store, clock, ttlSeconds: 5 });

const ask = async (label: string, prompt: string, options?: Parameters<typeof cache.getOrCompute>[2]) => {
  const result = await cache.getOrCompute(prompt, () => model(prompt), options);
  const left =
    result.expiresAt == null
      ? 'never expires'
      : `expires in ${((result.expiresAt - clock.now()) / 1000).toFixed(0)} s`;
  console.log(
    `${label.padEnd(36)} ${result.status.toUpperCase().padEnd(5)} ${result.value}  (${result.status === 'miss' ? 'stored, ' : ''}${left})`,
  );
};

console.log('1. A TTL of 5 seconds:');
await ask('  t=0s   first ask', 'What is a TTL?');
clock.advance(4_000);
await ask('  t=4s   still fresh', 'What is a TTL?');
clock.advance(1_000);
version = 2; // the source changed while the entry lived: the cache could serve a stale answer until now
await ask('  t=5s   expired, asked again', 'What is a TTL?');

console.log('\n2. A per-call TTL, and no expiry at all (ttlSeconds 0):');
await ask('  a definition, 24 h', 'Define latency', { ttlSeconds: 86_400 });
await ask('  arithmetic, never expires', 'What is 6 * 7?', { ttlSeconds: 0 });

console.log('\n3. Invalidation when you know the answer changed:');
version = 3;
await cache.invalidate('Define latency');
await ask('  after invalidate()', 'Define latency', { ttlSeconds: 86_400 });

console.log('\n4. Versioned keys: bump the version to drop every old entry at once.');
const v2 = createPromptCache<string, string>({ store, clock, version: 2 });
console.log(
  `  v1 key ${cache.keyFor('Define latency').slice(0, 24)}…  v2 key ${v2.keyFor('Define latency').slice(0, 24)}…`,
);
console.log(
  `  v2 lookup: ${(await v2.getOrCompute('Define latency', () => model('Define latency'))).status}`,
);
