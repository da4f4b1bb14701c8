import KeyvMysql from '@keyv/mysql';
import KeyvPostgres from '@keyv/postgres';
import { createPromptCache } from '@prompt-cache/core';
import { CorruptEntryError, ENTRY_SCHEMA_VERSION } from '@prompt-cache/core/store-kit';
import { describeStoreContract } from '@prompt-cache/core/testing';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeWithDatabase,
  mariadbServer,
  postgresServer,
  type TestDatabase,
  tryCreate,
} from '../test/databases.js';
import { createKeyvStore } from './keyv-store.js';

const entry = (value: string) => ({
  version: ENTRY_SCHEMA_VERSION,
  value,
  createdAt: Date.now(),
  expiresAt: null,
  meta: {},
});

const backends = [
  { server: postgresServer, adapter: (uri: string) => new KeyvPostgres({ uri }) },
  { server: mariadbServer, adapter: (uri: string) => new KeyvMysql({ uri, table: 'keyv' }) },
];

for (const { server, adapter } of backends) {
  const database = await tryCreate(server);
  const name = server.label.split(' ')[0]!;
  describeWithDatabase(server, database, `createKeyvStore over ${name}`, (created: TestDatabase) => {
    // One Keyv for the file, as an application keeps one per process (@keyv/mysql shares a single pool).
    let keyv: Keyv;
    beforeAll(() => {
      keyv = new Keyv({ store: adapter(created.uri), namespace: 'contract', throwOnErrors: true });
    });
    afterAll(async () => {
      await keyv.disconnect();
      await created.drop();
    });
    describeStoreContract(`keyv (${name})`, {
      create: ({ clock }) => createKeyvStore(keyv, { clock }),
      capabilities: ['keys'], // the backend lists its keys (Keyv's iterator())
      destroy: (store) => store.clear().then(() => undefined),
    });

    it('serves a prompt cache: the second call is a hit from the database', async () => {
      const cache = createPromptCache<string, string>({ store: createKeyvStore(keyv), ttlSeconds: 60 });
      let calls = 0;
      const compute = async () => `answer ${++calls}`;
      expect((await cache.getOrCompute('question', compute)).status).toBe('miss');
      const second = await cache.getOrCompute('question', compute);
      expect(second).toMatchObject({ status: 'hit', value: 'answer 1' });
      expect(calls).toBe(1);
    });

    it('reads a value the database holds that is not an entry as a corrupt miss, and removes it', async () => {
      const store = createKeyvStore(keyv);
      await keyv.set('broken', 'UEMxIGdhcmJhZ2U=');
      await expect(store.get('broken')).rejects.toBeInstanceOf(CorruptEntryError);
      expect(await keyv.get('broken')).toBeUndefined();
    });
  });
}

describe('createKeyvStore', () => {
  it('refuses something that is not a Keyv instance', () => {
    expect(() => createKeyvStore({} as Keyv)).toThrow(/needs a Keyv instance/);
  });

  it('turns a failed write into an error the cache counts, and the caller still gets its answer', async () => {
    const failing = new Map<string, unknown>();
    failing.set = () => {
      throw new Error('disk on fire');
    };
    const keyv = new Keyv({ store: failing });
    keyv.on('error', () => {});
    const cache = createPromptCache<string, string>({ store: createKeyvStore(keyv) });
    const result = await cache.getOrCompute('q', async () => 'still answered');
    expect(result.value).toBe('still answered');
    expect(cache.stats.snapshot().errors).toBe(1);
  });

  it('clears only the keys under a prefix, over a Keyv Map store that cannot list keys', async () => {
    const keyv = new Keyv();
    keyv.iterator = undefined; // as with a backend that cannot iterate
    const store = createKeyvStore(keyv);
    await store.set('a:1', entry('one'));
    expect((await store.get('a:1'))?.value).toBe('one');
    expect(store.keys).toBeUndefined();
    await expect(store.clear('a:')).rejects.toThrow(/cannot list its keys/);
  });
});
