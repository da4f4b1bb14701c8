import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { type CacheEntry, ENTRY_SCHEMA_VERSION, type EntryMeta } from '../entry.js';
import type { CacheStore } from '../store.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';

export interface StoreContractContext {
  /** The clock the store must read expiry from. Tests move it instead of sleeping. */
  clock: FakeClock;
}

/** An optional member of `CacheStore` that the contract tests when a store declares it. */
export type StoreCapability = 'keys' | 'size' | 'prune' | 'lock' | 'stats' | 'onEvict';

const CAPABILITIES: readonly StoreCapability[] = ['keys', 'size', 'prune', 'lock', 'stats', 'onEvict'];

export interface StoreContractOptions {
  /**
   * The optional members the store has. Their groups run; every other group shows as skipped, with the
   * reason in its name. The contract checks that the store has exactly these, so a capability left out
   * fails instead of passing unseen. Default: none.
   */
  capabilities?: readonly StoreCapability[];
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
 * describeStoreContract('memory', {
 *   create: ({ clock }) => createMemoryStore({ clock }),
 *   capabilities: ['keys', 'size', 'prune', 'onEvict'],
 * });
 */
export function describeStoreContract(name: string, options: StoreContractOptions): void {
  const declared = new Set(options.capabilities ?? []);
  /** A group's title, with the reason it is skipped when the store lacks what it tests. */
  const group = (title: string, present: boolean, lacking: string) =>
    present ? title : `${title} (skipped: the ${name} store does not declare ${lacking})`;

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

      it(`declares exactly the capabilities it was described with: ${[...declared].join(', ') || 'none'}`, () => {
        const present = CAPABILITIES.filter((capability) => store[capability] !== undefined);
        expect(present.sort()).toEqual([...declared].sort());
      });

      it('answers get() without a promise when it declares flags.inProcess', async (context) => {
        if (!store.flags?.inProcess)
          return context.skip(`the ${name} store does not declare flags.inProcess`);
        await store.set('contract:v1:sync', entry('now'));
        const found = store.get('contract:v1:sync');
        const missing = store.get('contract:v1:missing');
        expect(found).not.toBeInstanceOf(Promise);
        expect(missing).not.toBeInstanceOf(Promise);
        expect((found as CacheEntry).value).toBe('now');
        expect(missing).toBeUndefined();
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

    // Optional capabilities: a group the store lacks shows as skipped, with the reason, never as passed.
    describe.skipIf(!declared.has('keys'))(group('keys', declared.has('keys'), 'keys()'), () => {
      it('lists keys by prefix', async () => {
        await store.set('list-a:v1:1', entry('1'));
        await store.set('list-a:v1:2', entry('2'));
        await store.set('list-b:v1:1', entry('3'));
        const listed: string[] = [];
        for await (const key of store.keys!('list-a:')) listed.push(key);
        expect(listed.sort()).toEqual(['list-a:v1:1', 'list-a:v1:2']);
      });
    });

    const sizeOrPrune = declared.has('size') || declared.has('prune');
    describe.skipIf(!sizeOrPrune)(group('size and prune', sizeOrPrune, 'size() or prune()'), () => {
      it.skipIf(!declared.has('size'))(
        group('counts entries and bytes', declared.has('size'), 'size()'),
        async () => {
          await store.set('size:v1:1', entry('x'.repeat(1000)));
          await store.set('size:v1:2', entry('y'.repeat(500)));
          const size = await store.size!();
          expect(size.entries).toBe(2);
          expect(size.bytes).toBeGreaterThanOrEqual(1500);
        },
      );

      it.skipIf(!declared.has('prune'))(
        group(
          'removes expired entries on prune()',
          declared.has('prune'),
          'prune(): it expires entries by itself',
        ),
        async () => {
          await store.set('prune:v1:old', entry('old', 1_000));
          await store.set('prune:v1:new', entry('new', 60_000));
          clock.advance(2_000);
          expect(await store.prune!()).toBeGreaterThanOrEqual(1);
          expect((await store.get('prune:v1:new'))?.value).toBe('new');
        },
      );
    });

    describe.skipIf(!declared.has('lock'))(group('lock', declared.has('lock'), 'a lock'), () => {
      it('one holder at a time; released, the lock can be taken again', async () => {
        const lock = store.lock!;
        const first = await lock.acquire('contract:v1:locked', 60_000);
        expect(first).not.toBeNull();
        expect(await lock.acquire('contract:v1:locked', 60_000)).toBeNull();
        const other = await lock.acquire('contract:v1:other', 60_000);
        expect(other).not.toBeNull();
        await first!.release();
        const again = await lock.acquire('contract:v1:locked', 60_000);
        expect(again).not.toBeNull();
        await again!.release();
        await other!.release();
      });
    });

    const bounds = options.createBounded !== undefined;
    describe.skipIf(!bounds)(group('eviction', bounds, 'a bound on its entries (createBounded)'), () => {
      const maxEntries = 3;
      /** A fresh bounded store, disposed of when the test ends. */
      const boundedStore = async () => {
        const bounded = await options.createBounded!({ clock, maxEntries });
        onTestFinished(async () => {
          await (options.destroy ? options.destroy(bounded) : bounded.close?.());
        });
        return bounded;
      };
      const present = async (target: CacheStore, keys: string[]) => {
        const found: string[] = [];
        for (const key of keys) if (await target.get(key)) found.push(key);
        return found;
      };

      it('holds at most maxEntries entries, and keeps the newest', async () => {
        const bounded = await boundedStore();
        const keys = Array.from({ length: 2 * maxEntries }, (_, index) => `evict:v1:${index}`);
        for (const key of keys) await bounded.set(key, entry(key));
        const found = await present(bounded, keys);
        expect(found.length).toBeLessThanOrEqual(maxEntries);
        expect(found).toContain(keys.at(-1));
      });

      it('evicts the least recently used entry: a read counts as a use', async () => {
        const bounded = await boundedStore();
        const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((letter) => `lru:v1:${letter}`);
        for (const key of [a, b, c]) {
          await bounded.set(key!, entry(key!));
          clock.advance(1_000);
        }
        expect((await bounded.get(a!))?.value).toBe(a); // a is now the most recently used
        clock.advance(1_000);
        await bounded.set(d!, entry(d!));
        expect(await present(bounded, [a!, b!, c!, d!])).toEqual([a, c, d]);
      });

      it.skipIf(!declared.has('onEvict'))(
        group(
          'reports each eviction with its key, and a reported key is gone',
          declared.has('onEvict'),
          'onEvict()',
        ),
        async () => {
          const bounded = await boundedStore();
          const reported: string[] = [];
          bounded.onEvict!((key) => reported.push(key));
          const keys = Array.from({ length: 2 * maxEntries }, (_, index) => `report:v1:${index}`);
          for (const key of keys) await bounded.set(key, entry(key));
          expect(reported.length).toBeGreaterThanOrEqual(maxEntries);
          for (const key of reported) {
            expect(keys).toContain(key);
            expect(await bounded.get(key)).toBeUndefined();
          }
        },
      );
    });

    describe.skipIf(!declared.has('stats'))(group('stats', declared.has('stats'), 'a stats backend'), () => {
      it('adds, reads and resets shared counters', async () => {
        const stats = store.stats!;
        await stats.reset();
        await stats.add({ hits: 2, misses: 1 });
        await stats.add({ hits: 3 });
        expect(await stats.read()).toMatchObject({ hits: 5, misses: 1 });
        await stats.reset();
        expect((await stats.read()).hits ?? 0).toBe(0);
      });
    });
  });
}
