import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { statsByNamespace } from '@prompt-cache/core/store-kit';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { RELAXED_TIMEOUT_MS } from '../test/timeouts.js';
import { createRedisStore, type RedisStore } from './index.js';

const tsx = createRequire(import.meta.url).resolve('tsx');
const worker = fileURLToPath(new URL('../test/fixtures/lock-worker.ts', import.meta.url));

type Worker = ChildProcessByStdio<Writable, Readable, null> & { lines: AsyncIterator<string> };

function startWorker(...args: string[]): Worker {
  const child = spawn(
    process.execPath,
    ['--conditions=@prompt-cache/source', '--import', tsx, worker, ...args],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  ) as Worker;
  child.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return child;
}

async function nextLine(child: Worker): Promise<unknown> {
  const { value, done } = await child.lines.next();
  if (done) throw new Error('the worker exited early');
  return JSON.parse(value);
}

describeWithRedis('distributed single-flight (redis lock)', () => {
  let server: RedisServerHandle;
  const stores: RedisStore[] = [];
  const workers: Worker[] = [];
  let run = 0;
  const open = (options: Parameters<typeof createRedisStore>[0] = {}) => {
    const store = createRedisStore({ url: server.url, commandTimeoutMs: RELAXED_TIMEOUT_MS, ...options });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    for (const child of workers.splice(0)) child.kill('SIGKILL');
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(() => server?.stop());

  it('lets one holder in, and wakes a waiter when the holder releases', async () => {
    const keyPrefix = `lock-${run++}:`;
    const first = open({ keyPrefix });
    // A poll slower than the test timeout: only the pub/sub message can wake the waiter in time.
    const second = open({ keyPrefix, lockPollMs: 120_000 });
    const handle = await first.lock.acquire('q', 10_000);
    expect(handle).not.toBeNull();
    expect(await second.lock.acquire('q', 10_000)).toBeNull();
    let woken = false;
    const waiting = second.lock.waitForRelease('q', 120_000).then(() => {
      woken = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the waiter subscribe (not a TTL sleep)
    expect(woken).toBe(false);
    await handle!.release();
    await handle!.release(); // harmless twice
    await waiting;
    expect(await second.lock.acquire('q', 10_000)).not.toBeNull();
  });

  it('never releases a lock that expired and was taken by someone else', async () => {
    const keyPrefix = `lock-${run++}:`;
    const first = open({ keyPrefix });
    const second = open({ keyPrefix });
    const stale = await first.lock.acquire('q', 1);
    expect(stale).not.toBeNull();
    let current = await second.lock.acquire('q', 10_000);
    for (let attempt = 0; current === null && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      current = await second.lock.acquire('q', 10_000);
    }
    expect(current).not.toBeNull();
    await stale!.release();
    expect(await first.lock.acquire('q', 10_000)).toBeNull(); // still the second store's
  });

  it('resolves waitForRelease at its timeout when the holder never releases', async () => {
    const keyPrefix = `lock-${run++}:`;
    const holder = open({ keyPrefix });
    const waiter = open({ keyPrefix });
    expect(await holder.lock.acquire('q', 60_000)).not.toBeNull();
    await waiter.lock.waitForRelease('q', 100);
    expect(await waiter.lock.acquire('q', 60_000)).toBeNull();
  });

  it('frees the lock of a holder that died when its TTL runs out', async () => {
    const keyPrefix = `lock-${run++}:`;
    const holder = startWorker('hold', server.url, keyPrefix, '400');
    workers.push(holder);
    expect(await nextLine(holder)).toBe('held');
    holder.kill('SIGKILL');
    const next = open({ keyPrefix });
    expect(await next.lock.acquire('held-question', 10_000)).toBeNull();
    await next.lock.waitForRelease('held-question', 10_000); // woken by the poll once the PX expiry removes it
    expect(await next.lock.acquire('held-question', 10_000)).not.toBeNull();
  });

  it('computes once across 4 processes that miss the same key at once; then all of them hit', async () => {
    const keyPrefix = `single-flight-${run++}:`;
    const children = Array.from({ length: 4 }, () => startWorker('compute', server.url, keyPrefix));
    workers.push(...children);
    for (const child of children) expect(await nextLine(child)).toBe('ready');
    for (const child of children) child.stdin.write('go\n');

    const rounds = await Promise.all(
      children.map(async (child) => [await nextLine(child), await nextLine(child)]),
    );
    const first = rounds.map(([result]) => result as { status: string; value: string });
    const second = rounds.map(([, result]) => result as { status: string; value: string });

    const observer = open({ keyPrefix });
    await observer.ping(); // the store's client fails fast instead of queueing: wait until it is connected
    expect(Number(await observer.client.get(`${keyPrefix}computes`))).toBe(1);
    expect(first.filter((result) => result.status === 'miss')).toHaveLength(1);
    expect(first.filter((result) => result.status === 'hit')).toHaveLength(3);
    expect(new Set(first.map((result) => result.value)).size).toBe(1);
    expect(second.every((result) => result.status === 'hit' && result.value === first[0]!.value)).toBe(true);

    const shared = statsByNamespace(await observer.stats.read()).total;
    expect(shared.misses).toBe(1);
    expect(shared.hits).toBe(7);
  });
});
