// Module 9: Keyv. Any Keyv instance as a prompt-cache store, and any prompt-cache store as a Keyv adapter.
// Keyv's built-in Map stands in for a database here; swap in `new KeyvPostgres({ uri })` (or MySQL, SQLite,
// MongoDB) and nothing else changes. Set PROMPT_CACHE_POSTGRES_URL to try a real PostgreSQL.
import { createPromptCache } from '@prompt-cache/core';
import { createKeyvStore, KeyvStoreAdapter } from '@prompt-cache/store-keyv';
import { createMemoryStore } from '@prompt-cache/store-memory';
import Keyv from 'keyv';

const postgresUrl = process.env.PROMPT_CACHE_POSTGRES_URL;
const keyv = postgresUrl
  ? new Keyv({
      store: new (await import('@keyv/postgres')).default({ uri: postgresUrl }),
      throwOnErrors: true,
    })
  : new Keyv({ throwOnErrors: true });

console.log(
  `1. createKeyvStore: a Keyv instance (${postgresUrl ? 'PostgreSQL' : "Keyv's in-memory Map"}) keeps model answers`,
);
const cache = createPromptCache<string, string>({ store: createKeyvStore(keyv), ttlSeconds: 3600 });
let modelCalls = 0;
const model = async (prompt: string) => `[stand-in model] an answer to "${prompt}" (call ${++modelCalls})`;
for (let round = 0; round < 3; round++) {
  const result = await cache.getOrCompute('What is Keyv?', () => model('What is Keyv?'));
  console.log(`  ${result.status.padEnd(4)} ${result.value}`);
}
console.log(`  model calls: ${modelCalls}`);

console.log('\n2. KeyvStoreAdapter: code that speaks Keyv, on a prompt-cache store');
const keyvOnOurStore = new Keyv({ store: new KeyvStoreAdapter(createMemoryStore()), namespace: 'sessions' });
await keyvOnOurStore.set('user:42', { name: 'Ada', plan: 'pro' }, 60_000);
console.log(`  keyv.get('user:42') -> ${JSON.stringify(await keyvOnOurStore.get('user:42'))}`);
await keyv.disconnect();
