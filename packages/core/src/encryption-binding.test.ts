import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJsonCodec } from './codec.js';
import { createEncryptedCodec } from './encryption-codec.js';
import type { CacheEntry } from './entry.js';
import { CorruptEntryError, OutdatedEntryError } from './errors.js';
import { createPromptCache } from './prompt-cache.js';
import type { CacheStore } from './store.js';

const key = randomBytes(32);
const json = createJsonCodec<{ text: string }>();

function sharedStore(): CacheStore & { map: Map<string, CacheEntry> } {
  const map = new Map<string, CacheEntry>();
  return {
    name: 'shared-map',
    map,
    get: async (entryKey) => map.get(entryKey),
    set: async (entryKey, entry) => void map.set(entryKey, entry),
    delete: async (entryKey) => map.delete(entryKey),
    clear: async () => {
      const size = map.size;
      map.clear();
      return size;
    },
  };
}

describe('encrypted values are bound to their keys', () => {
  it('hits with encryption on an in-process store (flags.inProcess), which decodes a value as it is stored', async () => {
    const store = sharedStore();
    const inProcess = {
      ...store,
      get: (entryKey: string) => store.map.get(entryKey),
      flags: { inProcess: true },
    };
    const cache = createPromptCache<string, { text: string }>({
      store: inProcess,
      encryption: { keys: { k1: key } },
    });
    await cache.getOrCompute('q', async () => ({ text: 'a' }));
    expect((await cache.getOrCompute('q', async () => ({ text: 'b' }))).status).toBe('hit');
    expect(cache.stats.snapshot().errors).toBe(0);
  });

  it('refuses a value decoded under another key', () => {
    const codec = createEncryptedCodec(json, { keys: { k1: key } });
    const encoded = codec.encode({ text: "tenant B's answer" }, { key: 'tenant-b:v1:abc' });
    expect(codec.decode(encoded, { key: 'tenant-b:v1:abc' })).toEqual({ text: "tenant B's answer" });
    expect(() => codec.decode(encoded, { key: 'tenant-a:v1:abc' })).toThrow(CorruptEntryError);
  });

  it("never serves tenant B's answer to tenant A when the ciphertext is copied under A's key", async () => {
    const store = sharedStore();
    const encryption = { keys: { k1: key } };
    const tenantA = createPromptCache<string, { text: string }>({ store, namespace: 'tenant-a', encryption });
    const tenantB = createPromptCache<string, { text: string }>({ store, namespace: 'tenant-b', encryption });
    await tenantB.getOrCompute('What is our launch date?', async () => ({ text: 'B: 1 March' }));
    const keyA = tenantA.keyFor('What is our launch date?');
    const keyB = tenantB.keyFor('What is our launch date?');
    store.map.set(keyA, { ...(store.map.get(keyB) as CacheEntry) });
    const answer = await tenantA.getOrCompute('What is our launch date?', async () => ({ text: 'A: 5 May' }));
    expect(answer.value).toEqual({ text: 'A: 5 May' });
    expect(answer.status).toBe('miss');
    expect(tenantA.stats.snapshot().errors).toBe(1);
  });

  it('reads an entry encrypted before values were bound to keys as a plain miss, not an error', async () => {
    const store = sharedStore();
    const cache = createPromptCache<string, { text: string }>({ store, encryption: { keys: { k1: key } } });
    const entryKey = cache.keyFor('old question');
    // The previous format: "PCE1" | id length | id | IV | tag | ciphertext, no associated data.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([cipher.update('{"text":"old answer"}'), cipher.final()]);
    const old = Buffer.concat([
      Buffer.from('PCE1'),
      Buffer.from([2]),
      Buffer.from('k1'),
      iv,
      cipher.getAuthTag(),
      ciphertext,
    ]);
    store.map.set(entryKey, { version: 1, value: old, createdAt: 0, expiresAt: null, meta: {} });
    const codec = createEncryptedCodec(json, { keys: { k1: key } });
    expect(() => codec.decode(old, { key: entryKey })).toThrow(OutdatedEntryError);
    const answer = await cache.getOrCompute('old question', async () => ({ text: 'new answer' }));
    expect(answer).toMatchObject({ status: 'miss', value: { text: 'new answer' } });
    expect(cache.stats.snapshot().errors).toBe(0);
  });
});
