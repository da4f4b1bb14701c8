import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPromptCache } from '@prompt-cache/core';
import { CorruptEntryError } from '@prompt-cache/core/store-kit';
import { describeStoreContract } from '@prompt-cache/core/testing';
import { createKeyvStore } from '@prompt-cache/store-keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// SQLite through @keyv/sqlite 6 and Node's built-in node:sqlite: nothing to build or download, so it installs from
// the npm registry alone. node:sqlite needs Node 22 (and keyv 6 declares >= 22.19): on Node 20 the tests are skipped
// loudly; on Node 22 or later they always run (.ci/run runs the suite under Node 22 and 24).
const nodeMajor = Number(process.versions.node.split('.')[0]);
const runs = nodeMajor >= 22;
if (!runs) {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! The SQLite (keyv 6) tests are SKIPPED: node:sqlite needs Node 22 or later, and this is Node ${process.versions.node}.\n!! Run them with Node 22 or 24 (.ci/run does).\n${line}\n`,
  );
}

describe.skipIf(!runs)(
  `createKeyvStore over SQLite (keyv 6, @keyv/sqlite, node:sqlite)${runs ? '' : ' (skipped: needs Node 22)'}`,
  () => {
    const directory = mkdtempSync(join(tmpdir(), 'prompt-cache-keyv-sqlite-'));
    let keyv: import('keyv').Keyv;
    beforeAll(async () => {
      const [{ Keyv }, { KeyvSqlite }] = await Promise.all([import('keyv'), import('@keyv/sqlite')]);
      const sqlite = new KeyvSqlite({
        uri: `sqlite://${join(directory, 'cache.sqlite')}`,
        driver: 'node:sqlite',
      });
      keyv = new Keyv({ store: sqlite, namespace: 'contract', throwOnErrors: true });
    });
    afterAll(async () => {
      await keyv?.disconnect();
      rmSync(directory, { recursive: true, force: true });
    });

    describeStoreContract('keyv 6 (SQLite)', {
      create: ({ clock }) => createKeyvStore(keyv, { clock }),
      capabilities: ['keys'], // the backend lists its keys (Keyv's iterator())
      destroy: (store) => store.clear().then(() => undefined),
    });

    it('uses the built-in node:sqlite driver (nothing native to build)', async () => {
      await keyv.set('probe', 'x');
      expect((keyv.store as { driverName?: string }).driverName).toBe('node:sqlite');
    });

    it('serves a prompt cache: the second call is a hit from the database', async () => {
      const cache = createPromptCache<string, string>({ store: createKeyvStore(keyv), ttlSeconds: 60 });
      let calls = 0;
      const compute = async () => `answer ${++calls}`;
      expect((await cache.getOrCompute('question', compute)).status).toBe('miss');
      expect(await cache.getOrCompute('question', compute)).toMatchObject({
        status: 'hit',
        value: 'answer 1',
      });
      expect(calls).toBe(1);
    });

    it('reads a value the database holds that is not an entry as a corrupt miss, and removes it', async () => {
      const store = createKeyvStore(keyv);
      await keyv.set('broken', 'UEMxIGdhcmJhZ2U=');
      await expect(store.get('broken')).rejects.toBeInstanceOf(CorruptEntryError);
      expect(await keyv.get('broken')).toBeUndefined();
    });
  },
);
