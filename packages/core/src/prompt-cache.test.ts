import { describe, expect, it, vi } from 'vitest';
import { type Clock, systemClock } from './clock.js';
import { type CacheEntry, isExpired } from './entry.js';
import { InvalidTtlError } from './errors.js';
import type { CacheLock } from './lock.js';
import { createPromptCache } from './prompt-cache.js';
import { snapshotFromFields, statsByNamespace } from './stats.js';
import type { CacheStore } from './store.js';
import { createFakeClock } from './testing/fake-clock.js';

/** A minimal Map-backed store, so these tests exercise the orchestrator alone. */
function mapStore(
  overrides: Partial<CacheStore> = {},
  clock: Clock = systemClock,
): CacheStore & { map: Map<string, CacheEntry> } {
  const map = new Map<string, CacheEntry>();
  return {
    name: 'map',
    map,
    get: async (key) => {
      const entry = map.get(key);
      return entry && !isExpired(entry, clock.now()) ? entry : undefined;
    },
    set: async (key, entry) => void map.set(key, entry),
    delete: async (key) => map.delete(key),
    clear: async (prefix) => {
      let removed = 0;
      for (const key of [...map.keys()])
        if (!prefix || key.startsWith(prefix)) removed += Number(map.delete(key));
      return removed;
    },
    ...overrides,
  };
}

type Answer = { text: string; usage: { inputTokens: number; outputTokens: number } };
const answer = (text: string): Answer => ({ text, usage: { inputTokens: 100, outputTokens: 200 } });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('PromptCache', () => {
  it('misses, then hits with what the first call saved', async () => {
    const cache = createPromptCache<{ prompt: string }, Answer>({
      store: mapStore(),
      describe: (response) => ({ model: 'm', usage: response.usage, costUsd: 0.000054 }),
    });
    const compute = vi.fn(async () => answer('forty-two'));
    const first = await cache.getOrCompute({ prompt: 'q' }, compute);
    const second = await cache.getOrCompute({ prompt: 'q' }, compute);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(first).toMatchObject({ status: 'miss', stored: true, value: answer('forty-two') });
    expect(second).toMatchObject({ status: 'hit', value: answer('forty-two'), key: first.key });
    expect(second.saved).toMatchObject({ usd: 0.000054, tokens: 300 });
    expect(second.meta.latencyMs).toBeGreaterThanOrEqual(0);
    const stats = cache.stats.snapshot();
    expect(stats).toMatchObject({
      hits: 1,
      misses: 1,
      sets: 1,
      hitRate: 0.5,
      savedUsd: 0.000054,
      savedTokens: 300,
    });
    expect(stats.latency.hit.count).toBe(1);
    expect(stats.latency.miss.count).toBe(1);
  });

  it('hands every hit its own copy', async () => {
    const cache = createPromptCache<string, Answer>({ store: mapStore() });
    await cache.getOrCompute('q', async () => answer('original'));
    const hit = await cache.getOrCompute('q', async () => answer('unused'));
    hit.value.text = 'changed by the caller';
    expect((await cache.getOrCompute('q', async () => answer('unused'))).value.text).toBe('original');
  });

  it('decodes an entry a store flagged reusesEntries hands out again only once, and still copies every hit', async () => {
    let decodes = 0;
    const json = {
      name: 'counting-json',
      encode: (value: Answer) => JSON.stringify(value),
      decode: (text: string | Uint8Array) => {
        decodes++;
        return JSON.parse(String(text));
      },
    };
    const store = mapStore({ flags: { reusesEntries: true } });
    const cache = createPromptCache<string, Answer>({ store, codec: json });
    await cache.getOrCompute('q', async () => answer('a'));
    const first = await cache.getOrCompute('q', async () => answer('b'));
    first.value.text = 'changed by the caller';
    const second = await cache.getOrCompute('q', async () => answer('b'));
    expect(second.value).toEqual(answer('a'));
    expect(decodes).toBe(1);
    expect(Object.isFrozen(second.value)).toBe(false);

    const rewritten = { ...store.map.get(cache.keyFor('q'))!, value: JSON.stringify(answer('c')) };
    store.map.set(cache.keyFor('q'), rewritten); // a new entry object: decoded afresh
    expect((await cache.getOrCompute('q', async () => answer('b'))).value).toEqual(answer('c'));
    expect(decodes).toBe(2);
  });

  it('looks a known key up: a hit is counted like one from getOrCompute, a miss not at all', async () => {
    const cache = createPromptCache<string, Answer>({
      store: mapStore(),
      describe: () => ({ costUsd: 0.5 }),
    });
    const key = cache.keyFor('q');
    expect(await cache.lookup(key)).toBeUndefined();
    await cache.getOrCompute('q', async () => answer('a'));
    const hit = await cache.lookup(key);
    expect(hit).toMatchObject({ status: 'hit', key, value: answer('a'), saved: { usd: 0.5 } });
    expect(hit?.entry.meta.costUsd).toBe(0.5);
    expect(cache.stats.snapshot()).toMatchObject({ hits: 1, misses: 1, savedUsd: 0.5 });
  });

  it('hands out the value a lookup finds without copying it: frozen when the store shares it', async () => {
    const shared = createPromptCache<string, Answer>({ store: mapStore({ flags: { reusesEntries: true } }) });
    const key = shared.keyFor('q');
    await shared.getOrCompute('q', async () => answer('a'));
    const first = await shared.lookup(key);
    const second = await shared.lookup(key);
    expect(second?.value).toBe(first?.value);
    expect(Object.isFrozen(first?.value)).toBe(true);
    // getOrCompute still copies: its caller may change what it gets.
    const copied = await shared.getOrCompute('q', async () => answer('b'));
    expect(copied.value).toEqual(first?.value);
    expect(copied.value).not.toBe(first?.value);
    expect(Object.isFrozen(copied.value)).toBe(false);
  });

  it('computes once for concurrent identical misses, and each caller gets a copy', async () => {
    const cache = createPromptCache<string, Answer>({ store: mapStore() });
    const gate = deferred<void>();
    const compute = vi.fn(async () => {
      await gate.promise;
      return answer('shared');
    });
    const calls = Array.from({ length: 20 }, () => cache.getOrCompute('same', compute));
    gate.resolve();
    const results = await Promise.all(calls);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(results.filter((result) => result.status === 'miss')).toHaveLength(1);
    expect(results.filter((result) => result.coalesced)).toHaveLength(19);
    expect(new Set(results.map((result) => result.value)).size).toBe(20);
    expect(cache.stats.snapshot()).toMatchObject({ misses: 1, hits: 19, coalesced: 19 });
  });

  it('never stores a thrown error, and shares it with the callers that waited', async () => {
    const store = mapStore();
    const cache = createPromptCache<string, Answer>({ store });
    const failure = new Error('ThrottlingException');
    const calls = [1, 2].map(() => cache.getOrCompute('q', async () => Promise.reject(failure)));
    await expect(Promise.all(calls)).rejects.toBe(failure);
    expect(store.map.size).toBe(0);
    expect((await cache.getOrCompute('q', async () => answer('ok'))).status).toBe('miss');
  });

  it('stores only what cacheWhen accepts, and counts the rest', async () => {
    const store = mapStore();
    const cache = createPromptCache<string, Answer>({
      store,
      cacheWhen: (response) => !response.text.includes('partial'),
    });
    const result = await cache.getOrCompute('q', async () => answer('partial answer'));
    expect(result).toMatchObject({ status: 'miss', stored: false, notStoredReason: 'not-cacheable' });
    expect(store.map.size).toBe(0);
    expect(cache.stats.snapshot().skipped).toBe(1);
  });

  it('counts what was not stored by reason, with the word cacheWhen gives', async () => {
    const store = mapStore();
    const cache = createPromptCache<string, Answer>({
      store,
      cacheWhen: (response) => (response.text.includes('blocked') ? 'guardrail_intervened' : true),
      guard: (request) => (request.includes('@') ? 'email' : undefined),
    });
    const blocked = await cache.getOrCompute('q', async () => answer('blocked answer'));
    expect(blocked).toMatchObject({ stored: false, notStoredReason: 'not-cacheable' });
    await cache.getOrCompute('mail me at a@b.c', async () => answer('ok'));
    expect((await cache.getOrCompute('fine', async () => answer('fine'))).stored).toBe(true);
    expect(store.map.size).toBe(1);
    const snapshot = cache.stats.snapshot();
    expect(snapshot.notStored).toEqual({ guardrail_intervened: 1, sensitive: 1 });
    expect(snapshotFromFields(cache.stats.takeDelta()).notStored).toEqual({});
    cache.stats.trackDeltas();
    await cache.getOrCompute('q2', async () => answer('blocked again'));
    expect(snapshotFromFields(cache.stats.takeDelta()).notStored).toEqual({ guardrail_intervened: 1 });
  });

  it('answers but does not store what the guard flags, or what is too large', async () => {
    const store = mapStore();
    const cache = createPromptCache<string, Answer>({
      store,
      guard: (request) => (request.includes('@') ? 'email' : undefined),
      maxEntryBytes: 100,
    });
    expect((await cache.getOrCompute('mail me at a@b.c', async () => answer('ok'))).notStoredReason).toBe(
      'sensitive',
    );
    expect((await cache.getOrCompute('big', async () => answer('x'.repeat(200)))).notStoredReason).toBe(
      'oversize',
    );
    expect(store.map.size).toBe(0);
    expect(cache.stats.snapshot()).toMatchObject({ skippedSensitive: 1, skippedOversize: 1 });
  });

  it('fails open: a broken store is counted and the answer still comes back', async () => {
    const broken = mapStore({
      get: async () => Promise.reject(new Error('ECONNREFUSED')),
      set: async () => Promise.reject(new Error('ECONNREFUSED')),
    });
    const cache = createPromptCache<string, Answer>({ store: broken });
    const result = await cache.getOrCompute('q', async () => answer('still here'));
    expect(result).toMatchObject({ status: 'miss', stored: false, notStoredReason: 'store-error' });
    expect(result.value.text).toBe('still here');
    expect(cache.stats.snapshot().errors).toBe(2);
  });

  it('fails open on a store that hangs, within storeTimeoutMs', async () => {
    const hanging = mapStore({ get: () => new Promise(() => {}), set: () => new Promise(() => {}) });
    const cache = createPromptCache<string, Answer>({ store: hanging, storeTimeoutMs: 20 });
    const result = await cache.getOrCompute('q', async () => answer('on time'));
    expect(result.value.text).toBe('on time');
    expect(cache.stats.snapshot().errors).toBe(2);
  });

  it('treats an undecodable entry as a miss and removes it', async () => {
    const store = mapStore();
    const cache = createPromptCache<string, Answer>({ store });
    const key = cache.keyFor('q');
    store.map.set(key, { version: 1, value: '{not json', createdAt: 0, expiresAt: null, meta: {} });
    const deleted = vi.spyOn(store, 'delete');
    // A lookup alone (nothing computed, nothing stored over it) shows the removal.
    expect(await cache.lookup(key)).toBeUndefined();
    expect(deleted).toHaveBeenCalledWith(key);
    await vi.waitFor(() => expect(store.map.has(key)).toBe(false));
    store.map.set(key, { version: 1, value: '{not json', createdAt: 0, expiresAt: null, meta: {} });
    const result = await cache.getOrCompute('q', async () => answer('fresh'));
    expect(result.status).toBe('miss');
    expect(cache.stats.snapshot().errors).toBe(2);
  });

  it('bypass neither reads nor writes; refresh skips the read and writes', async () => {
    const store = mapStore();
    const cache = createPromptCache<string, Answer>({ store });
    await cache.getOrCompute('q', async () => answer('v1'));
    const bypass = await cache.getOrCompute('q', async () => answer('v2'), { mode: 'bypass' });
    expect(bypass).toMatchObject({ status: 'bypass', value: { text: 'v2' } });
    expect((await cache.getOrCompute('q', async () => answer('unused'))).value.text).toBe('v1');
    const refresh = await cache.getOrCompute('q', async () => answer('v3'), { mode: 'refresh' });
    expect(refresh).toMatchObject({ status: 'miss', stored: true });
    expect((await cache.getOrCompute('q', async () => answer('unused'))).value.text).toBe('v3');
    expect(cache.stats.snapshot().bypasses).toBe(1);
  });

  it('honours the default TTL, a per-call TTL and no expiry, by the injected clock', async () => {
    const clock = createFakeClock();
    const cache = createPromptCache<string, Answer>({ store: mapStore({}, clock), clock, ttlSeconds: 60 });
    await cache.getOrCompute('default', async () => answer('d'));
    await cache.getOrCompute('short', async () => answer('s'), { ttlSeconds: 5 });
    await cache.getOrCompute('forever', async () => answer('f'), { ttlSeconds: 0 });
    clock.advance(5_000);
    expect((await cache.getOrCompute('short', async () => answer('s2'))).status).toBe('miss');
    expect((await cache.getOrCompute('default', async () => answer('d2'))).status).toBe('hit');
    clock.advance(55_000);
    expect((await cache.getOrCompute('default', async () => answer('d2'))).status).toBe('miss');
    clock.advance(10 * 365 * 86_400_000);
    expect((await cache.getOrCompute('forever', async () => answer('f2'))).status).toBe('hit');
  });

  it('rejects a bad TTL with a typed error, before anything is computed', async () => {
    expect(() => createPromptCache({ store: mapStore(), ttlSeconds: -1 })).toThrow(InvalidTtlError);
    const cache = createPromptCache<string, Answer>({ store: mapStore() });
    const compute = vi.fn(async () => answer('x'));
    await expect(cache.getOrCompute('q', compute, { ttlSeconds: Number.NaN })).rejects.toThrow(
      InvalidTtlError,
    );
    expect(compute).not.toHaveBeenCalled();
  });

  it('invalidates one request, and clears only its own namespace', async () => {
    const store = mapStore();
    const a = createPromptCache<string, Answer>({ store, namespace: 'tenant-a' });
    const b = createPromptCache<string, Answer>({ store, namespace: 'tenant-b' });
    await a.getOrCompute('q', async () => answer('a'));
    await a.getOrCompute('r', async () => answer('a'));
    await b.getOrCompute('q', async () => answer('b'));
    expect(a.keyFor('q')).not.toBe(b.keyFor('q'));
    expect(await a.invalidate('q')).toBe(true);
    expect(await a.clear()).toBe(1);
    expect((await b.getOrCompute('q', async () => answer('unused'))).value.text).toBe('b');
  });

  it('waits for another process holding the distributed lock, then reads its entry', async () => {
    const store = mapStore();
    const released = deferred<void>();
    const lock: CacheLock = {
      acquire: async () => null, // someone else is computing
      waitForRelease: async () => released.promise,
    };
    const cache = createPromptCache<string, Answer>({ store, lock });
    const compute = vi.fn(async () => answer('mine'));
    const pending = cache.getOrCompute('q', compute);
    // The other process stores its answer and releases.
    const other = createPromptCache<string, Answer>({ store, lock: false });
    await other.getOrCompute('q', async () => answer('theirs'));
    released.resolve();
    const result = await pending;
    expect(compute).not.toHaveBeenCalled();
    expect(result).toMatchObject({ status: 'hit', coalesced: true, value: { text: 'theirs' } });
  });

  it('takes the lock over when its holder stored nothing, and computes once', async () => {
    let attempts = 0;
    const lock: CacheLock = {
      acquire: async () => (++attempts < 3 ? null : { release: async () => {} }),
      waitForRelease: async () => undefined,
    };
    const compute = vi.fn(async () => answer('own'));
    const cache = createPromptCache<string, Answer>({ store: mapStore(), lock });
    expect((await cache.getOrCompute('q', compute)).status).toBe('miss');
    expect(attempts).toBe(3);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('computes for itself when the lock stays taken past lockWaitMs', async () => {
    const waits: number[] = [];
    const lock: CacheLock = {
      acquire: async () => null,
      waitForRelease: (_key, timeoutMs) => {
        waits.push(timeoutMs);
        // Past lockWaitMs, fail at once rather than wait out the 30 s default.
        if (timeoutMs > 20) return Promise.reject(new Error('asked to wait past lockWaitMs'));
        return new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, 5)));
      },
    };
    const cache = createPromptCache<string, Answer>({ store: mapStore(), lock, lockWaitMs: 20 });
    expect((await cache.getOrCompute('q', async () => answer('own'))).status).toBe('miss');
    // Every wait is bounded by what is left of lockWaitMs (the 30 s default would show here).
    expect(waits.length).toBeGreaterThan(0);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(20);
    expect(cache.stats.snapshot().errors).toBe(0);
  });

  it('reads the store again after taking the lock, in case the last holder just stored the answer', async () => {
    const store = mapStore();
    const other = createPromptCache<string, Answer>({ store, lock: false });
    let released = 0;
    const lock: CacheLock = {
      acquire: async () => {
        await other.getOrCompute('q', async () => answer('stored meanwhile'));
        return { release: async () => void released++ };
      },
      waitForRelease: async () => undefined,
    };
    const compute = vi.fn(async () => answer('mine'));
    const result = await createPromptCache<string, Answer>({ store, lock }).getOrCompute('q', compute);
    expect(compute).not.toHaveBeenCalled();
    expect(result).toMatchObject({ status: 'hit', value: { text: 'stored meanwhile' } });
    expect(released).toBe(1);
  });

  it('holds the lock until the entry is stored', async () => {
    const order: string[] = [];
    const store = mapStore({ set: async () => void order.push('set') });
    const lock: CacheLock = {
      acquire: async () => ({ release: async () => void order.push('release') }),
      waitForRelease: async () => undefined,
    };
    await createPromptCache<string, Answer>({ store, lock }).getOrCompute('q', async () => answer('x'));
    expect(order).toEqual(['set', 'release']);
  });

  it('asks a second-stage lookup after an exact miss', async () => {
    const fallbackEntry: CacheEntry = {
      version: 1,
      value: JSON.stringify(answer('from fallback')),
      createdAt: 0,
      expiresAt: null,
      meta: {},
    };
    const fallback = vi.fn(async () => fallbackEntry);
    const cache = createPromptCache<string, Answer>({ store: mapStore(), fallback });
    const result = await cache.getOrCompute('paraphrase', async () => answer('computed'));
    expect(fallback).toHaveBeenCalledWith('paraphrase', cache.keyFor('paraphrase'));
    expect(result).toMatchObject({ status: 'hit', value: { text: 'from fallback' } });
  });

  it('emits events for observers', async () => {
    const cache = createPromptCache<string, Answer>({ store: mapStore() });
    const seen: string[] = [];
    cache.stats.on('miss', () => seen.push('miss'));
    cache.stats.on('set', () => seen.push('set'));
    const off = cache.stats.on('hit', () => seen.push('hit'));
    await cache.getOrCompute('q', async () => answer('x'));
    await cache.getOrCompute('q', async () => answer('x'));
    off();
    await cache.getOrCompute('q', async () => answer('x'));
    expect(seen).toEqual(['set', 'miss', 'hit']);
  });

  it('flushes its counters into a store that keeps shared stats', async () => {
    const fields: Record<string, number> = {};
    const store = mapStore({
      stats: {
        add: async (deltas) => {
          for (const [field, value] of Object.entries(deltas)) fields[field] = (fields[field] ?? 0) + value;
        },
        read: async () => ({ ...fields }),
        reset: async () => {},
      },
    });
    const first = createPromptCache<string, Answer>({ store });
    await first.getOrCompute('q', async () => answer('x'));
    await first.close();
    const second = createPromptCache<string, Answer>({ store });
    await second.getOrCompute('q', async () => answer('x'));
    const shared = await second.snapshot();
    expect(shared).toMatchObject({ hits: 1, misses: 1, sets: 1 });
    expect(shared.latency.hit.count).toBe(1);
    await second.close();
  });

  it('keeps shared stats per namespace, with a total across namespaces', async () => {
    const fields: Record<string, number> = {};
    const stats = {
      add: async (deltas: Record<string, number>) => {
        for (const [field, value] of Object.entries(deltas)) fields[field] = (fields[field] ?? 0) + value;
      },
      read: async () => ({ ...fields }),
      reset: async () => {},
    };
    const store = mapStore({ stats });
    const first = createPromptCache<string, Answer>({ store, namespace: 'alpha' });
    const second = createPromptCache<string, Answer>({ store, namespace: 'beta' });
    await first.getOrCompute('q', async () => answer('x'));
    await first.getOrCompute('q', async () => answer('x'));
    await second.getOrCompute('q', async () => answer('y'));
    expect(await first.snapshot()).toMatchObject({ hits: 1, misses: 1 });
    expect(await second.snapshot()).toMatchObject({ hits: 0, misses: 1 });
    const split = statsByNamespace(await stats.read());
    expect(split.total).toMatchObject({ hits: 1, misses: 2, sets: 2 });
    expect(Object.keys(split.namespaces).sort()).toEqual(['alpha', 'beta']);
    expect(split.namespaces.beta).toMatchObject({ hits: 0, misses: 1 });
    await first.close();
    await second.close();
  });

  it('keeps stats it could not deliver, and falls back to its own figures', async () => {
    let reachable = false;
    const fields: Record<string, number> = {};
    const store = mapStore({
      stats: {
        add: async (deltas) => {
          if (!reachable) throw new Error('ECONNREFUSED');
          for (const [field, value] of Object.entries(deltas)) fields[field] = (fields[field] ?? 0) + value;
        },
        read: async () => {
          if (!reachable) throw new Error('ECONNREFUSED');
          return { ...fields };
        },
        reset: async () => {},
      },
    });
    const cache = createPromptCache<string, Answer>({ store });
    await cache.getOrCompute('q', async () => answer('x'));
    expect(await cache.snapshot()).toMatchObject({ misses: 1 });
    reachable = true;
    expect(await cache.snapshot()).toMatchObject({ misses: 1, sets: 1 });
    await cache.close();
  });

  it('encrypts what it stores when given keys, and reads its own entries back', async () => {
    const store = mapStore();
    const encryption = { keys: { k1: Buffer.alloc(32, 7) } };
    const cache = createPromptCache<string, Answer>({ store, encryption });
    await cache.getOrCompute('q', async () => answer('confidential'));
    const [stored] = [...store.map.values()];
    expect(Buffer.from(stored!.value).includes('confidential')).toBe(false);
    expect((await cache.getOrCompute('q', async () => answer('unused'))).value.text).toBe('confidential');
    const wrongKey = createPromptCache<string, Answer>({
      store,
      encryption: { keys: { k2: Buffer.alloc(32, 9) } },
    });
    expect((await wrongKey.getOrCompute('q', async () => answer('recomputed'))).status).toBe('miss');
    expect(wrongKey.stats.snapshot().errors).toBe(1);
  });

  it('counts failed model calls apart from store errors', async () => {
    const cache = createPromptCache<string, Answer>({ store: mapStore() });
    await expect(
      cache.getOrCompute('q', async () => Promise.reject(new Error('throttled'))),
    ).rejects.toThrow();
    expect(cache.stats.snapshot()).toMatchObject({ upstreamErrors: 1, errors: 0 });
  });

  it('needs a store, and says so', () => {
    // @ts-expect-error: the store is missing on purpose
    expect(() => createPromptCache({})).toThrow(/needs a store/);
  });
});

describe('getOrComputeLive: an answer its caller needs before it is complete (a stream)', () => {
  /** A live value of words, complete when `finish` is called (or failed with `fail`). */
  function liveCompute() {
    const done = deferred<Answer>();
    let failWith: ((error: unknown) => void) | undefined;
    const complete = new Promise<Answer>((resolve, reject) => {
      done.promise.then(resolve);
      failWith = reject;
    });
    const compute = vi.fn(async () => ({ live: { words: ['forty', 'two'] }, complete }));
    return {
      compute,
      finish: () => done.resolve(answer('forty-two')),
      fail: (error: unknown) => failWith!(error),
    };
  }

  it('hands the live value over at once, stores the complete one, and later calls hit it', async () => {
    const store = mapStore();
    const cache = createPromptCache<{ prompt: string }, Answer>({ store });
    const { compute, finish } = liveCompute();
    const first = await cache.getOrComputeLive({ prompt: 'q' }, compute);
    expect(first).toMatchObject({ kind: 'live', status: 'miss', live: { words: ['forty', 'two'] } });
    expect(store.map.size).toBe(0);
    finish();
    if (first.kind !== 'live') throw new Error('unreachable');
    expect(await first.settled).toMatchObject({ status: 'miss', stored: true });
    const second = await cache.getOrComputeLive({ prompt: 'q' }, compute);
    expect(second).toMatchObject({ kind: 'cached', result: { status: 'hit', value: answer('forty-two') } });
    expect(compute).toHaveBeenCalledTimes(1);
    expect(cache.stats.snapshot()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('an identical call in flight joins the live value; one that cannot join computes for itself', async () => {
    const cache = createPromptCache<{ prompt: string }, Answer>({ store: mapStore() });
    const { compute, finish } = liveCompute();
    const leader = await cache.getOrComputeLive({ prompt: 'q' }, compute);
    const join = vi.fn((live: { words: string[] }) => ({ words: [...live.words] }));
    const follower = await cache.getOrComputeLive({ prompt: 'q' }, compute, { join });
    expect(follower).toMatchObject({
      kind: 'live',
      status: 'hit',
      coalesced: true,
      live: { words: ['forty', 'two'] },
    });
    expect(join).toHaveBeenCalledTimes(1);
    const refused = await cache.getOrComputeLive({ prompt: 'q' }, liveCompute().compute, {
      join: () => undefined,
    });
    expect(refused).toMatchObject({ kind: 'live', status: 'miss', coalesced: false });
    finish();
    if (leader.kind !== 'live' || follower.kind !== 'live') throw new Error('unreachable');
    await leader.settled;
    expect(await follower.settled).toMatchObject({ status: 'hit', coalesced: true, stored: true });
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('stores nothing when the live value never completes, and the calls that joined hear of it', async () => {
    const store = mapStore();
    const cache = createPromptCache<{ prompt: string }, Answer>({ store });
    const { compute, fail } = liveCompute();
    const leader = await cache.getOrComputeLive({ prompt: 'q' }, compute);
    const follower = await cache.getOrComputeLive({ prompt: 'q' }, compute);
    fail(new Error('cut short'));
    if (leader.kind !== 'live' || follower.kind !== 'live') throw new Error('unreachable');
    await expect(leader.settled).rejects.toThrow('cut short');
    await expect(follower.settled).rejects.toThrow('cut short');
    expect(store.map.size).toBe(0);
    expect(cache.stats.snapshot()).toMatchObject({ hits: 0, misses: 0 });
    // The next call leads a flight of its own.
    const next = liveCompute();
    expect(await cache.getOrComputeLive({ prompt: 'q' }, next.compute)).toMatchObject({ status: 'miss' });
  });
});
