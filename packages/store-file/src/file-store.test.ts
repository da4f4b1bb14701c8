import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CacheEntry, createPromptCache, InvalidOptionError } from '@prompt-cache/core';
import { ENTRY_SCHEMA_VERSION, StoreUnavailableError } from '@prompt-cache/core/store-kit';
import { createFakeClock, describeStoreContract } from '@prompt-cache/core/testing';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../test/temp-directory.js';
import { mountTmpfs } from '../test/tmpfs-mount.js';
import { createFileStore } from './file-store.js';
import { defaultFileStoreDirectory } from './file-store-options.js';
import { hashKey } from './layout.js';

describeStoreContract('file', {
  create: ({ clock }) => createFileStore({ directory: temporaryDirectory(), clock }),
  capabilities: ['keys', 'size', 'prune', 'stats', 'onEvict'],
  createBounded: ({ clock, maxEntries }) =>
    createFileStore({ directory: temporaryDirectory(), clock, maxEntries }),
});

const entry = (value: string, expiresAt: number | null = null, createdAt = Date.now()): CacheEntry => ({
  version: ENTRY_SCHEMA_VERSION,
  value,
  createdAt,
  expiresAt,
  meta: {},
});

describe('createFileStore: layout', () => {
  it('keeps one file per entry, named by sha256(key) and sharded by its first two hex characters', async () => {
    const directory = temporaryDirectory();
    const store = createFileStore({ directory });
    const key = 'ns:v1:any / character \u0000 at all';
    await store.set(key, entry('value'));
    const hash = hashKey(key);
    const path = join(directory, 'entries', hash.slice(0, 2), `${hash}.entry`);
    expect(store.entryPath(key)).toBe(path);
    expect(readdirSync(dirname(path))).toEqual([`${hash}.entry`]);
    expect(readFileSync(path).toString('latin1')).toContain(JSON.stringify(key)); // the key is kept inside
  });

  it('resolves the directory it was given and exposes it', () => {
    expect(createFileStore({ directory: 'relative/dir' }).directory).toBe(
      join(process.cwd(), 'relative/dir'),
    );
  });

  it('defaults to $XDG_CACHE_HOME/prompt-cache, else ~/.cache/prompt-cache', () => {
    expect(defaultFileStoreDirectory({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/prompt-cache');
    expect(defaultFileStoreDirectory({ XDG_CACHE_HOME: 'relative' })).toMatch(/\.cache\/prompt-cache$/);
    expect(defaultFileStoreDirectory({})).toMatch(/\.cache\/prompt-cache$/);
  });
});

describe('createFileStore: persistence', () => {
  it('serves entries written by an earlier instance (a restart)', async () => {
    const directory = temporaryDirectory();
    const first = createFileStore({ directory });
    await first.set('ns:v1:a', entry('kept'));
    await first.close();
    const second = createFileStore({ directory });
    expect((await second.get('ns:v1:a'))?.value).toBe('kept');
    const keys: string[] = [];
    for await (const key of second.keys()) keys.push(key);
    expect(keys).toEqual(['ns:v1:a']);
  });

  it('answers from the cache after a restart, through the orchestrator', async () => {
    const directory = temporaryDirectory();
    const first = createPromptCache<string, string>({ store: createFileStore({ directory }) });
    await first.getOrCompute('question', async () => 'answer');
    await first.close();
    const second = createPromptCache<string, string>({ store: createFileStore({ directory }) });
    const result = await second.getOrCompute('question', async () => 'recomputed');
    expect(result).toMatchObject({ status: 'hit', value: 'answer' });
    await second.close();
  });

  it('shares statistics between instances: a second cache sees the totals of both', async () => {
    const directory = temporaryDirectory();
    const first = createPromptCache<string, string>({ store: createFileStore({ directory }) });
    await first.getOrCompute('a', async () => 'A'); // miss
    await first.getOrCompute('a', async () => 'A'); // hit
    await first.close();

    const second = createPromptCache<string, string>({ store: createFileStore({ directory }) });
    await second.getOrCompute('a', async () => 'A'); // hit
    await second.getOrCompute('b', async () => 'B'); // miss
    const shared = await second.snapshot();
    expect(shared).toMatchObject({ hits: 2, misses: 2, sets: 2, errors: 0, hitRate: 0.5 });
    expect(shared.latency.hit.count).toBe(2);
    expect((await second.snapshot('local')).hits).toBe(1);
    await second.store.stats!.reset();
    expect(await second.snapshot()).toMatchObject({ hits: 0, misses: 0, sets: 0 });
    await second.close();
  });

  it('keeps statistics out of the directory when persistStats is false', async () => {
    const directory = temporaryDirectory();
    const store = createFileStore({ directory, persistStats: false });
    expect(store.stats).toBeUndefined();
    const cache = createPromptCache<string, string>({ store });
    await cache.getOrCompute('a', async () => 'A');
    await cache.close();
    expect(existsSync(join(directory, 'stats'))).toBe(false);
  });
  it('recreates its directories when they are removed while it runs', async () => {
    const directory = temporaryDirectory();
    const store = createFileStore({ directory });
    await store.set('ns:v1:a', entry('a'));
    rmSync(join(directory, 'entries'), { recursive: true });
    rmSync(join(directory, 'stats'), { recursive: true, force: true });
    expect(await store.get('ns:v1:a')).toBeUndefined();
    await store.set('ns:v1:a', entry('again'));
    await store.stats!.add({ hits: 1 });
    expect((await store.get('ns:v1:a'))?.value).toBe('again');
    expect(await store.stats!.read()).toEqual({ hits: 1 });
  });
});

describe('createFileStore: expiry and prune', () => {
  it('expires by the injected clock and removes the expired file on read', async () => {
    const clock = createFakeClock();
    const store = createFileStore({ directory: temporaryDirectory(), clock });
    await store.set('ns:v1:t', entry('soon', clock.now() + 1_000));
    clock.advance(1_000);
    expect(await store.get('ns:v1:t')).toBeUndefined();
    expect(existsSync(store.entryPath('ns:v1:t'))).toBe(false);
  });

  it('prune() removes expired and unreadable entries and stale temporary files, and nothing else', async () => {
    const clock = createFakeClock();
    const directory = temporaryDirectory();
    const store = createFileStore({ directory, clock });
    const expired: string[] = [];
    store.onEvict((key, reason) => reason === 'expired' && expired.push(key));
    await store.set('ns:v1:old', entry('old', clock.now() + 1_000));
    await store.set('ns:v1:new', entry('new', clock.now() + 60_000));
    await store.set('ns:v1:torn', entry('torn'));
    writeFileSync(store.entryPath('ns:v1:torn'), readFileSync(store.entryPath('ns:v1:torn')).subarray(0, 20));

    const shard = dirname(store.entryPath('ns:v1:crashed'));
    mkdirSync(shard, { recursive: true });
    const hash = hashKey('ns:v1:crashed');
    const staleTemp = join(shard, `${hash}.entry.4242-0badc0de.tmp`);
    const freshTemp = join(shard, `${hash}.entry.4243-0badc0de.tmp`);
    writeFileSync(staleTemp, 'half a write');
    writeFileSync(freshTemp, 'a write in progress');
    const twoMinutesAgo = (Date.now() - 120_000) / 1000;
    utimesSync(staleTemp, twoMinutesAgo, twoMinutesAgo);
    const foreign = join(shard, 'notes.txt');
    writeFileSync(foreign, 'not ours');

    clock.advance(2_000);
    expect(await store.prune()).toBe(2); // old (expired) + torn (unreadable)
    expect(expired).toEqual(['ns:v1:old']);
    expect(existsSync(staleTemp)).toBe(false);
    expect(existsSync(freshTemp)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
    expect((await store.get('ns:v1:new'))?.value).toBe('new');
    expect(await store.size()).toMatchObject({ entries: 1 });
  });
});

describe('createFileStore: clear', () => {
  it('removes only its own entry files; foreign files survive', async () => {
    const directory = temporaryDirectory();
    const store = createFileStore({ directory });
    await store.set('a:v1:1', entry('a1'));
    await store.set('a:v1:2', entry('a2'));
    await store.set('b:v1:1', entry('b1'));
    const shard = dirname(store.entryPath('a:v1:1'));
    const foreign = [
      join(directory, 'README.txt'),
      join(directory, 'entries', 'notes.md'),
      join(shard, 'keep-me.entry'),
      join(directory, 'entries', 'zz', `${'0'.repeat(64)}.entry`), // not a shard name of ours
      join(shard, `${hashKey('x')}.entry.bak`),
    ];
    for (const path of foreign) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, 'precious');
    }
    // A file named like an entry of ours that holds something else: not an entry, so it stays too.
    const lookalike = join(shard, `${shard.slice(-2)}${'f'.repeat(62)}.entry`);
    writeFileSync(lookalike, 'looks like an entry, is not one');

    expect(await store.clear('a:')).toBe(2);
    expect((await store.get('b:v1:1'))?.value).toBe('b1');
    expect(await store.clear()).toBe(1);
    expect(await store.size()).toEqual({ entries: 1, bytes: 31 }); // only the lookalike is left
    for (const path of [...foreign, lookalike]) expect(existsSync(path), path).toBe(true);
  });
});

describe('createFileStore: limits', () => {
  it('evicts the least recently used entry at maxEntries and reports it in the stats', async () => {
    const store = createFileStore({ directory: temporaryDirectory(), maxEntries: 2, persistStats: false });
    const cache = createPromptCache<string, string>({ store });
    await cache.getOrCompute('a', async () => 'A');
    await cache.getOrCompute('b', async () => 'B');
    await cache.getOrCompute('a', async () => 'A'); // a hit touches a, so b is the oldest
    await cache.getOrCompute('c', async () => 'C');
    expect(cache.stats.snapshot().evictions).toBe(1);
    expect((await cache.getOrCompute('a', async () => 'recomputed')).status).toBe('hit');
    expect((await cache.getOrCompute('b', async () => 'B again')).status).toBe('miss');
    expect((await store.size()).entries).toBe(2);
  });

  it('keeps the bytes of entry files under maxBytes, reporting size evictions', async () => {
    const store = createFileStore({ directory: temporaryDirectory(), maxBytes: 3_000, persistStats: false });
    const reasons: string[] = [];
    store.onEvict((_key, reason) => reasons.push(reason));
    const cache = createPromptCache<number, string>({ store });
    for (let index = 0; index < 10; index++) await cache.getOrCompute(index, async () => 'x'.repeat(1_000));
    const size = await store.size();
    expect(size.bytes).toBeLessThanOrEqual(3_000);
    expect(size.entries).toBe(2); // each file is the value plus a header of about 250 bytes
    expect(reasons).toEqual(Array(8).fill('size'));
    expect((await cache.getOrCompute(9, async () => 'recomputed')).status).toBe('hit');
    expect((await cache.getOrCompute(0, async () => 'recomputed')).status).toBe('miss');
  });

  it('counts a burst of concurrent writes once: no eviction below the limit, exact eviction above it', async () => {
    const store = createFileStore({ directory: temporaryDirectory(), maxEntries: 100 });
    let evictions = 0;
    store.onEvict(() => evictions++);
    await Promise.all(Array.from({ length: 60 }, (_, index) => store.set(`burst:v1:${index}`, entry('v'))));
    expect([(await store.size()).entries, evictions]).toEqual([60, 0]);
    await Promise.all(
      Array.from({ length: 50 }, (_, index) => store.set(`burst:v1:${60 + index}`, entry('v'))),
    );
    expect([(await store.size()).entries, evictions]).toEqual([100, 10]);
  });

  it('does not store an entry larger than maxBytes', async () => {
    const store = createFileStore({ directory: temporaryDirectory(), maxBytes: 100 });
    await store.set('ns:v1:big', entry('x'.repeat(200)));
    expect(await store.get('ns:v1:big')).toBeUndefined();
  });

  it('evicts across instances, by the recency of the files themselves', async () => {
    const directory = temporaryDirectory();
    const first = createFileStore({ directory, maxEntries: 3 });
    for (const key of ['k1', 'k2', 'k3']) await first.set(key, entry(key));
    await first.get('k1'); // k2 is now the least recently used
    const second = createFileStore({ directory, maxEntries: 3 });
    const evicted: string[] = [];
    second.onEvict((key, reason) => evicted.push(`${key}:${reason}`));
    await second.set('k4', entry('k4'));
    expect(evicted).toEqual(['k2:lru']);
    const left: string[] = [];
    for await (const key of first.keys()) left.push(key);
    expect(left.sort()).toEqual(['k1', 'k3', 'k4']);
  });

  it('rejects nonsensical options at creation with a clear message', () => {
    expect(() => createFileStore({ maxEntries: -3 })).toThrow(
      /^\[store-file\] maxEntries must be a whole number >= 1 .*; got -3$/,
    );
    expect(() => createFileStore({ maxEntries: 1.5 })).toThrow(InvalidOptionError);
    expect(() => createFileStore({ maxBytes: 0 })).toThrow(/maxBytes must be a whole number >= 1/);
    expect(() => createFileStore({ maxBytes: '5' as unknown as number })).toThrow(/maxBytes .* got "5"/);
    expect(() => createFileStore({ directory: '' })).toThrow(/directory must be a non-empty path; got ""/);
    expect(() => createFileStore({ clock: {} as never })).toThrow(/clock must have a now\(\) method/);
    expect(() => createFileStore({ persistStats: 'yes' as never })).toThrow(
      /persistStats must be true or false/,
    );
    expect(createFileStore({ maxEntries: Number.POSITIVE_INFINITY, maxBytes: 1 }).name).toBe('file');
  });
});

describe('createFileStore: an unwritable directory', () => {
  // Root ignores file permissions, so as root (CI) the directory is a read-only tmpfs; otherwise chmod 0o555.
  const asRoot = process.getuid?.() === 0;
  const readOnlyMount = asRoot ? mountTmpfs('ro', 'the read-only directory test') : undefined;

  it.skipIf(asRoot && !readOnlyMount)(
    'read-only directory: set rejects naming the directory, the cache still answers',
    async () => {
      const { chmodSync } = await import('node:fs');
      const directory = readOnlyMount ?? temporaryDirectory();
      if (!asRoot) chmodSync(directory, 0o555);
      try {
        const store = createFileStore({ directory });
        await expect(store.set('ns:v1:a', entry('a'))).rejects.toThrow(
          new RegExp(
            `^\\[store-file\\] cannot write cache entries in ${directory} \\(${asRoot ? 'EROFS' : 'EACCES'}: [^\\n]+\\)$`,
          ),
        );
        const cache = createPromptCache<string, string>({ store });
        const result = await cache.getOrCompute('q', async () => 'the answer');
        expect(result).toMatchObject({ value: 'the answer', status: 'miss', stored: false });
        expect(cache.stats.snapshot().errors).toBeGreaterThanOrEqual(1);
        await cache.close();
      } finally {
        if (!asRoot) chmodSync(directory, 0o755);
      }
    },
  );

  it('a path blocked by a plain file: set rejects with one line naming the directory; the cache fails open', async () => {
    const parent = temporaryDirectory();
    const directory = join(parent, 'cache');
    writeFileSync(directory, 'a file where the directory should be');
    const store = createFileStore({ directory, persistStats: false });
    const failure = await store.set('ns:v1:a', entry('a')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(
      new RegExp(`^\\[store-file\\] cannot write cache entries in ${directory} \\((ENOTDIR|EEXIST): `),
    );
    expect((failure as Error).message).not.toContain('\n');

    const cache = createPromptCache<string, string>({ store });
    const result = await cache.getOrCompute('q', async () => 'the answer');
    expect(result).toMatchObject({
      value: 'the answer',
      status: 'miss',
      stored: false,
      notStoredReason: 'store-error',
    });
    expect(cache.stats.snapshot().errors).toBe(1);
    expect(readFileSync(directory, 'utf8')).toBe('a file where the directory should be');
  });
});
