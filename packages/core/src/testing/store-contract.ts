import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { type CacheEntry, ENTRY_SCHEMA_VERSION, type EntryMeta } from '../entry.js';
import type { CacheStore } from '../store.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';

export interface StoreContractContext {
  /** The clock the store must read expiry from. Tests move it instead of sleeping. */
  clock: FakeClock;
}

export interface StoreContractOptions {
  /** Creates a fresh, empty store that reads the time from `context.clock`. */
  create(context: StoreContractContext): CacheStore | Promise<CacheStore>;
  /** Disposes of a store after each test. Default: `store.close()` when the store has it. */
  destroy?(store: CacheStore): Promise<void> | void;
  /**
   * Creates a fresh store that holds at most `maxEntries` entries, for the eviction tests. Omit it when
   * the store does not evict by itself (Redis leaves that to the server's `maxmemory-policy`): the eviction
   * tests then show as skipped, with the reason.
   */
  createBounded?(context: StoreContractContext & { maxEntries: number }): CacheStore | Promise<CacheStore>;
}

/**
 * The contract every `CacheStore` must pass. A store's own contract test is a few lines:
 * @example
 * describeStoreContract('memory', { create: ({ clock }) => createMemoryStore({ clock }) });
 */
export function describeStoreContract(name: string, options: StoreContractOptions): void {
  describe(`CacheStore contract: ${name}`, () => {
    let clock: FakeClock;
    let store: CacheStore;

    const entry = (
      value: string | Uint8Array,
      ttlMs: number | null = 60_000,
      meta: EntryMeta = {},
    ): CacheEntry => ({
      version: ENTRY_SCHEMA_VERSION,
      value,
      createdAt: clock.now(),
      expiresAt: ttlMs === null ? null : clock.now() + ttlMs,
      meta,
    });

    beforeEach(async () => {
      clock = createFakeClock();
      store = await options.create({ clock });
    });

    afterEach(async () => {
      await (options.destroy ? options.destroy(store) : store.close?.());
    });

    describe('basic', () => {
      it('has a name', () => {
        expect(typeof store.name).toBe('string');
        expect(store.name.length).toBeGreaterThan(0);
      });

      it('returns undefined for a key it never saw', async () => {
        expect(await store.get('contract:v1:missing')).toBeUndefined();
      });

      it('returns what was set, metadata included', async () => {
        const meta: EntryMeta = {
          model: 'amazon.nova-lite-v1:0',
          provider: 'simulator',
          usage: { inputTokens: 12, outputTokens: 34, totalTokens: 46 },
          costUsd: 0.000009,
          latencyMs: 1234.5,
          tags: ['a', 'b'],
        };
        const written = entry('{"text":"héllo ✓"}', 60_000, meta);
        await store.set('contract:v1:text', written);
        const read = await store.get('contract:v1:text');
        expect(read).toEqual(written);
      });

      it('keeps binary values byte for byte', async () => {
        const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
        await store.set('contract:v1:bytes', entry(bytes));
        const read = await store.get('contract:v1:bytes');
        expect(read?.value).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(read!.value as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
      });

      it('replaces an entry on a second set', async () => {
        await store.set('contract:v1:k', entry('first'));
        await store.set('contract:v1:k', entry('second'));
        expect((await store.get('contract:v1:k'))?.value).toBe('second');
      });

      it('deletes one entry and says whether it existed', async () => {
        await store.set('contract:v1:a', entry('a'));
        await store.set('contract:v1:b', entry('b'));
        expect(await store.delete('contract:v1:a')).toBe(true);
        expect(await store.delete('contract:v1:a')).toBe(false);
        expect(await store.get('contract:v1:a')).toBeUndefined();
        expect((await store.get('contract:v1:b'))?.value).toBe('b');
      });

      it('clears everything, or only the keys under a prefix', async () => {
        await store.set('tenant-a:v1:1', entry('a1'));
        await store.set('tenant-a:v1:2', entry('a2'));
        await store.set('tenant-b:v1:1', entry('b1'));
        expect(await store.clear('tenant-a:')).toBe(2);
        expect(await store.get('tenant-a:v1:1')).toBeUndefined();
        expect((await store.get('tenant-b:v1:1'))?.value).toBe('b1');
        await store.clear();
        expect(await store.get('tenant-b:v1:1')).toBeUndefined();
      });

      it('handles keys with unusual characters', async () => {
        const key = 'odd/ns:v1:../../ünïcødé key\n*?';
        await store.set(key, entry('odd'));
        expect((await store.get(key))?.value).toBe('odd');
        expect(await store.delete(key)).toBe(true);
      });

      it('keeps a 1 MB value intact', async () => {
        const big = 'x'.repeat(1024 * 1024 - 3) + 'end';
        await store.set('contract:v1:big', entry(big));
        expect((await store.get('contract:v1:big'))?.value).toBe(big);
      });

      it('serves 50 concurrent writers and readers', async () => {
        const keys = Array.from({ length: 50 }, (_, index) => `contract:v1:c${index}`);
        await Promise.all(keys.map((key) => store.set(key, entry(key))));
        const values = await Promise.all(keys.map(async (key) => (await store.get(key))?.value));
        expect(values).toEqual(keys);
      });
    });

    describe('ttl', () => {
      it('treats an entry as absent once its expiry has passed', async () => {
        await store.set('contract:v1:ttl', entry('soon gone', 5_000));
        clock.advance(4_999);
        expect((await store.get('contract:v1:ttl'))?.value).toBe('soon gone');
        clock.advance(1);
        expect(await store.get('contract:v1:ttl')).toBeUndefined();
      });

      it('keeps an entry without expiry', async () => {
        await store.set('contract:v1:forever', entry('always', null));
        clock.advance(365 * 24 * 3600 * 1000);
        expect((await store.get('contract:v1:forever'))?.value).toBe('always');
      });
    });

    // Optional capabilities: a store without one shows these tests as skipped, with the reason, never as passed.
    const lacks = (context: TestContext, capability: string) =>
      context.skip(`the ${name} store does not declare ${capability}`);

    describe('keys', () => {
      it('lists keys by prefix', async (context) => {
        if (!store.keys) return lacks(context, 'keys()');
        await store.set('list-a:v1:1', entry('1'));
        await store.set('list-a:v1:2', entry('2'));
        await store.set('list-b:v1:1', entry('3'));
        const listed: string[] = [];
        for await (const key of store.keys('list-a:')) listed.push(key);
        expect(listed.sort()).toEqual(['list-a:v1:1', 'list-a:v1:2']);
      });
    });

    describe('size and prune', () => {
      it('counts entries and bytes', async (context) => {
        if (!store.size) return lacks(context, 'size()');
        await store.set('size:v1:1', entry('x'.repeat(1000)));
        await store.set('size:v1:2', entry('y'.repeat(500)));
        const size = await store.size();
        expect(size.entries).toBe(2);
        expect(size.bytes).toBeGreaterThanOrEqual(1500);
      });

      it('removes expired entries on prune()', async (context) => {
        if (!store.prune) return lacks(context, 'prune() (it expires entries by itself)');
        await store.set('prune:v1:old', entry('old', 1_000));
        await store.set('prune:v1:new', entry('new', 60_000));
        clock.advance(2_000);
        expect(await store.prune()).toBeGreaterThanOrEqual(1);
        expect((await store.get('prune:v1:new'))?.value).toBe('new');
      });
    });

    describe('lock', () => {
      it('one holder at a time; released, the lock can be taken again', async (context) => {
        if (!store.lock) return lacks(context, 'a lock');
        const first = await store.lock.acquire('contract:v1:locked', 60_000);
        expect(first).not.toBeNull();
        expect(await store.lock.acquire('contract:v1:locked', 60_000)).toBeNull();
        const other = await store.lock.acquire('contract:v1:other', 60_000);
        expect(other).not.toBeNull();
        await first!.release();
        const again = await store.lock.acquire('contract:v1:locked', 60_000);
        expect(again).not.toBeNull();
        await again!.release();
        await other!.release();
      });
    });

    describe('eviction', () => {
      const maxEntries = 3;
      let bounded: CacheStore | undefined;
      const boundedStore = async (context: TestContext) => {
        if (!options.createBounded) return lacks(context, 'a bound on its entries (createBounded)');
        bounded = await options.createBounded({ clock, maxEntries });
        return bounded;
      };
      afterEach(async () => {
        if (bounded) await (options.destroy ? options.destroy(bounded) : bounded.close?.());
        bounded = undefined;
      });
      const present = async (target: CacheStore, keys: string[]) => {
        const found: string[] = [];
        for (const key of keys) if (await target.get(key)) found.push(key);
        return found;
      };

      it('holds at most maxEntries entries, and keeps the newest', async (context) => {
        const target = await boundedStore(context);
        if (!target) return;
        const keys = Array.from({ length: 2 * maxEntries }, (_, index) => `evict:v1:${index}`);
        for (const key of keys) await target.set(key, entry(key));
        const found = await present(target, keys);
        expect(found.length).toBeLessThanOrEqual(maxEntries);
        expect(found).toContain(keys.at(-1));
      });

      it('evicts the least recently used entry: a read counts as a use', async (context) => {
        const target = await boundedStore(context);
        if (!target) return;
        const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => `lru:v1:${name}`);
        for (const key of [a, b, c]) {
          await target.set(key!, entry(key!));
          clock.advance(1_000);
        }
        expect((await target.get(a!))?.value).toBe(a); // a is now the most recently used
        clock.advance(1_000);
        await target.set(d!, entry(d!));
        expect(await present(target, [a!, b!, c!, d!])).toEqual([a, c, d]);
      });

      it('reports each eviction with its key, and a reported key is gone', async (context) => {
        const target = await boundedStore(context);
        if (!target) return;
        if (!target.onEvict) return lacks(context, 'onEvict()');
        const reported: string[] = [];
        target.onEvict((key) => reported.push(key));
        const keys = Array.from({ length: 2 * maxEntries }, (_, index) => `report:v1:${index}`);
        for (const key of keys) await target.set(key, entry(key));
        expect(reported.length).toBeGreaterThanOrEqual(maxEntries);
        for (const key of reported) {
          expect(keys).toContain(key);
          expect(await target.get(key)).toBeUndefined();
        }
      });
    });

    describe('stats', () => {
      it('adds, reads and resets shared counters', async (context) => {
        if (!store.stats) return lacks(context, 'a stats backend');
        await store.stats.reset();
        await store.stats.add({ hits: 2, misses: 1 });
        await store.stats.add({ hits: 3 });
        expect(await store.stats.read()).toMatchObject({ hits: 5, misses: 1 });
        await store.stats.reset();
        expect((await store.stats.read()).hits ?? 0).toBe(0);
      });
    });
  });
}
