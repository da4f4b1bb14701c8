import assert from 'node:assert/strict';
import { getBufferString } from '@langchain/core/messages';
import type { Generation } from '@langchain/core/outputs';
import { createPromptCache } from '@prompt-cache/core';
import { createRedisStore } from '@prompt-cache/store-redis';
import type { RedisServerHandle } from '@prompt-cache/test-redis';
import { Redis } from 'ioredis';
import { expectHit, miss } from '../expect-hit.js';
import { type ConverseRequest, type ConverseResponse, shortRequest, sizedResponse } from '../fixtures.js';
import { answerText, chatModelFor, toLangChainMessages } from '../peers/langchain-messages.js';
import { createKeyvOnRedis, createLangChainRedisCache } from '../peers/redis-peers.js';
import {
  REDIS_BENCHMARK_KEY,
  redisBenchmarkGet,
  redisMissingReason,
  withRedisServer,
} from '../redis-setup.js';
import { requestKey } from '../request-key.js';
import {
  type Column,
  type Goal,
  type ResultRow,
  type Suite,
  type SuiteContext,
  type SuiteResult,
  skippedResult,
  verdictOf,
} from '../suite.js';
import { closedLoop, measureThroughputs, type ThroughputRound } from '../throughput.js';
import { installedVersion } from '../versions.js';

const VALUE_SIZES = [1536, 10 * 1024];
const CONCURRENCIES = [1, 50];

/** One library on Redis: filled once, then read as fast as it goes. */
interface Contender {
  label: string;
  note: string;
  /** `store`: the row the goals judge; `peer`: another library; `extra`: shown, not judged. */
  role: 'store' | 'peer' | 'extra';
  fill(index: number): Promise<void>;
  /** One hit; resolves to the answer text, so the read can be checked. */
  read(index: number): Promise<string>;
  close(): Promise<void>;
}

function cellId(size: number, concurrency: number, kind: 'rate' | 'floor') {
  return `${size / 1024}kb_c${concurrency}_${kind}`;
}

/**
 * Hits through Redis: prompt-cache's Redis store against @keyv/redis and LangChain's ioredis cache on the
 * same test-started redis-server, 1 KB and 10 KB answers, 1 and 50 calls in flight; the floor is
 * `redis-benchmark -t get` with the same connections count and value size.
 */
export const redisSuite: Suite = {
  id: 'redis',
  title: 'Redis hits: throughput at 1 and 50 calls in flight, 1 KB and 10 KB answers',
  async run(context) {
    const missing = redisMissingReason() ?? redisMissingReason('redis-benchmark');
    if (missing) return skippedResult(this, missing);
    return withRedisServer((server) => measureRedis(this, server, context));
  },
};

async function measureRedis(
  suite: Suite,
  server: RedisServerHandle,
  context: SuiteContext,
): Promise<SuiteResult> {
  const entries = context.tiny ? 5 : context.quick ? 50 : 200;
  const timing = context.tiny
    ? { durationMs: 20, rounds: 1, warmupMs: 10 }
    : context.quick
      ? { durationMs: 150, rounds: 2 }
      : { durationMs: 500, rounds: 6 };

  const rows = new Map<string, ResultRow>();
  const rowOf = (label: string, note: string) => {
    let row = rows.get(label);
    if (!row) {
      row = { label, note, cells: {} };
      rows.set(label, row);
    }
    return row;
  };
  const roles = new Map<string, Contender['role']>();
  const floorLabel = 'floor: redis-benchmark -t get';
  rowOf(floorLabel, 'same connections count and value size; no key, no decoding');
  const admin = new Redis(server.url);

  try {
    for (const [sizeIndex, size] of VALUE_SIZES.entries()) {
      // Each size gets its own requests, so no library's keys collide across sizes.
      const requests = Array.from({ length: entries }, (_, index) =>
        shortRequest(sizeIndex * 1_000_000 + index),
      );
      const responses = requests.map((_, index) => sizedResponse(index, size));
      const contenders = createContenders(server.url, size, requests, responses);
      try {
        for (const contender of contenders) {
          for (let index = 0; index < entries; index++) await contender.fill(index);
          // Correct before fast: each request reads back its own answer.
          for (const index of [0, entries - 1]) {
            assert.equal(
              await contender.read(index),
              answerText(responses[index]!),
              `${contender.label} returned a wrong answer`,
            );
          }
        }
        await admin.set(REDIS_BENCHMARK_KEY, 'x'.repeat(size));
        for (const concurrency of CONCURRENCIES) {
          const tasks: Record<string, ThroughputRound> = {
            // A fixed number of GETs sized to take about one round at the rates this machine reaches.
            [floorLabel]: (durationMs) =>
              redisBenchmarkGet({
                port: server.port,
                concurrency,
                requests: Math.max(200, Math.round(durationMs * (concurrency === 1 ? 15 : 60))),
              }),
          };
          for (const contender of contenders) {
            let next = 0;
            tasks[contender.label] = closedLoop(() => contender.read(next++ % entries), concurrency);
          }
          const rates = await measureThroughputs(tasks, timing);
          const floor = rates.get(floorLabel)!;
          for (const [label, rate] of rates) {
            const contender = contenders.find((candidate) => candidate.label === label);
            if (contender) roles.set(label, contender.role);
            const row = rowOf(label, contender?.note ?? '');
            row.cells![cellId(size, concurrency, 'rate')] = rate;
            row.cells![cellId(size, concurrency, 'floor')] = rate / floor;
          }
        }
      } finally {
        for (const contender of contenders) await contender.close();
      }
    }
  } finally {
    await admin.quit();
  }

  const columns: Column[] = VALUE_SIZES.flatMap((size) =>
    CONCURRENCIES.flatMap((concurrency): Column[] => [
      {
        id: cellId(size, concurrency, 'rate'),
        title: `${size / 1024} KB, ${concurrency} in flight`,
        format: 'rate',
      },
      { id: cellId(size, concurrency, 'floor'), title: 'of floor', format: 'percent' },
    ]),
  );
  columns.push({ id: 'note', title: 'note', format: 'text' });
  const table = [...rows.values()];
  const ours = table.find((row) => roles.get(row.label) === 'store')!;
  const peers = table.filter((row) => roles.get(row.label) === 'peer');
  const cases = VALUE_SIZES.flatMap((size) => CONCURRENCIES.map((concurrency) => ({ size, concurrency })));
  const rate = (row: ResultRow, size: number, concurrency: number) =>
    row.cells![cellId(size, concurrency, 'rate')] as number;
  const behind = cases.filter(({ size, concurrency }) =>
    peers.some((peer) => rate(peer, size, concurrency) >= rate(ours, size, concurrency)),
  );
  const goals: Goal[] = [
    {
      goal: 'Redis store ahead of every peer (every size and concurrency)',
      met: behind.length === 0,
      detail:
        behind.length === 0
          ? `ahead in all ${cases.length} cases`
          : `behind or level in ${behind.map(({ size, concurrency }) => `${size / 1024} KB/${concurrency}`).join(', ')}`,
    },
    (() => {
      const near = table.find((row) => row.label.includes('nearCache'))!;
      const behindAtOne = VALUE_SIZES.filter((size) =>
        peers.some((peer) => rate(peer, size, 1) >= rate(near, size, 1)),
      );
      return {
        goal: 'Redis store with nearCache: true ahead of every peer at 1 in flight',
        met: behindAtOne.length === 0,
        detail: VALUE_SIZES.map(
          (size) => `${size / 1024} KB: ${Math.round(rate(near, size, 1)).toLocaleString('en')}/s`,
        ).join(', '),
      };
    })(),
    ...VALUE_SIZES.map((size): Goal => {
      const share = ours.cells![cellId(size, 50, 'floor')] as number;
      return {
        goal: `Redis store >= 90% of redis-benchmark at 50 in flight, ${size / 1024} KB`,
        met: share >= 0.9,
        detail: `${(share * 100).toFixed(0)}%`,
      };
    }),
  ];
  return {
    id: suite.id,
    title: suite.title,
    reference: 'redis-benchmark -t get at the same concurrency and value size',
    columns,
    rows: table,
    goals,
    verdicts: goals.map(verdictOf),
    notes: [
      `The goals judge the store: "prompt-cache get" and keyv read with the same SHA-256 key, derived beforehand, ` +
        `so that both rows measure a Redis read and a decode. "getOrCompute" adds what a caller pays per call on ` +
        `top: the key of a short Converse request (~0.3 KB of canonical JSON hashed, about 3 µs; see the hit path) ` +
        `and the hit accounting. LangChain's lookup cannot be given a key, so its row includes its own key ` +
        `derivation. "In flight" = that many calls awaited in a closed loop in ` +
        `one Node process (one connection per library, as each library opens it), or that many connections for ` +
        `redis-benchmark, whose GET key was set to a value of the same size first (no -r), so every GET is a hit. ` +
        `Rounds of every library and of redis-benchmark alternate in order; each figure is a median round. ` +
        `Each library read its own answers back before it was timed; all of them return copies (decoded from Redis). ` +
        `prompt-cache coalesces the reads issued in one tick into MGETs of at most half the reads in flight ` +
        `(so that Redis and Node work at the same time), and remembers the entries it parsed, so that the same ` +
        `bytes read again are neither checked nor decoded twice (the "entryMemoBytes: 0" row shows the cost ` +
        `without it). That is how one connection outruns 50 redis-benchmark connections, which only read.`,
      `@keyv/redis ${installedVersion('@keyv/redis')} declares keyv ^5.6.0 and ran here with keyv ` +
        `${installedVersion('keyv')} (the only @keyv/redis for keyv 6 is a release candidate that needs Node 22). ` +
        `LangChain's cache runs on ioredis ${installedVersion('ioredis')}, the newest release of the major version ` +
        `it declares (^5.3.2); its lookup issues two GETs per hit (it reads generation 0, then looks for a generation 1).`,
    ],
    chart: {
      title: 'Redis hits per second, 1.5 KB answers, 50 in flight (higher is better)',
      unit: 'rate',
      bars: table.map((row) => ({
        label: row.label
          .replace(/ [\d.]+ /, ' ')
          .replace(/ \(.*\)$/, '')
          .replace('floor: redis-benchmark -t get', 'redis-benchmark -t get (floor)')
          .replace('@langchain/community ioredis ', 'LangChain '),
        value: rate(row, VALUE_SIZES[0]!, 50),
        highlight: row === ours,
      })),
    },
  };
}

function createContenders(
  url: string,
  size: number,
  requests: ConverseRequest[],
  responses: ConverseResponse[],
): Contender[] {
  const promptCacheStore = createRedisStore({ url, keyPrefix: `bench-${size}:` });
  const promptCache = createPromptCache<ConverseRequest, ConverseResponse>({ store: promptCacheStore });
  const ourKeys = requests.map((request) => promptCache.keyFor(request));
  // The same entries read without the memo of parsed entries: every hit checks, parses and decodes.
  const unmemoized = createPromptCache<ConverseRequest, ConverseResponse>({
    store: createRedisStore({ url, keyPrefix: `bench-${size}:`, entryMemoBytes: 0 }),
  });

  // The same entries again, read through a store that keeps what Redis tracks for it in memory.
  const nearStore = createRedisStore({ url, keyPrefix: `bench-${size}:`, nearCache: true });
  const near = createPromptCache<ConverseRequest, ConverseResponse>({ store: nearStore });

  const keyv = createKeyvOnRedis<ConverseResponse>(url, `bench-${size}`);
  const keys = requests.map(requestKey);

  // The least a Node program does for the same hit: one ioredis GET, auto-pipelined, and JSON.parse of the answer.
  const raw = new Redis(url, { enableAutoPipelining: true });
  const rawKeys = keys.map((key) => `bench-raw-${size}:${key}`);

  const langChain = createLangChainRedisCache(url);
  const messages = requests.map(toLangChainMessages);
  let answering = 0;
  const chatModel = chatModelFor(requests[0]!, {
    cache: langChain.cache,
    respond: async () => answerText(responses[answering]!),
  });
  const llmString = chatModel._getSerializedCacheKeyParametersForCall({});

  return [
    {
      label: 'prompt-cache get (Redis store)',
      note: 'cache.get(key): coalesced MGET read, entry memo, a copy of the decoded answer; key derived beforehand, as for keyv',
      role: 'store',
      fill: async (index) => {
        await promptCache.getOrCompute(requests[index]!, async () => responses[index]!);
      },
      read: async (index) => answerText(expectHit(await promptCache.get(ourKeys[index] as string)).value),
      close: async () => undefined, // the row below closes the shared cache
    },
    {
      label: 'prompt-cache get, entryMemoBytes: 0',
      note: 'the same reads with the memo of parsed entries off: CRC-32 and JSON.parse on every hit',
      role: 'extra',
      fill: async () => undefined, // same entries as the row above
      read: async (index) => answerText(expectHit(await unmemoized.get(ourKeys[index] as string)).value),
      close: () => unmemoized.close(),
    },
    {
      label: 'prompt-cache getOrCompute (Redis store)',
      note: 'the same, plus key derivation per call (canonical JSON + SHA-256) and hit accounting',
      role: 'extra',
      fill: async () => undefined, // filled by the row above: same cache, same entries
      read: async (index) => answerText((await promptCache.getOrCompute(requests[index]!, miss)).value),
      close: () => promptCache.close(),
    },
    {
      label: 'prompt-cache get, nearCache: true',
      note: 'the same reads; an entry read before is answered from memory while Redis tracks it (CLIENT TRACKING)',
      role: 'extra',
      fill: async () => {
        await nearStore.nearCache!.whenActive(); // same entries as the first row
      },
      read: async (index) => answerText(expectHit(await near.get(ourKeys[index] as string)).value),
      close: () => near.close(),
    },
    {
      label: `@keyv/redis ${installedVersion('@keyv/redis')} get`,
      note: 'node-redis client; same SHA-256 key, derived beforehand',
      role: 'peer',
      fill: async (index) => {
        await keyv.keyv.set(keys[index]!, responses[index]!);
      },
      read: async (index) => answerText(expectHit(await keyv.keyv.get(keys[index] as string))),
      close: keyv.close,
    },
    {
      label: `raw ioredis ${installedVersion('ioredis')} GET + JSON.parse`,
      note: 'no cache library: the same answer stored as JSON under the same SHA-256 key, read and parsed',
      role: 'peer',
      fill: async (index) => {
        await raw.set(rawKeys[index]!, JSON.stringify(responses[index]));
      },
      read: async (index) => {
        const text = await raw.get(rawKeys[index]!);
        return answerText(expectHit(text === null ? undefined : (JSON.parse(text) as ConverseResponse)));
      },
      close: async () => {
        raw.disconnect();
      },
    },
    {
      label: `@langchain/community ${installedVersion('@langchain/community')} ioredis RedisCache lookup`,
      note: 'derives its key per call (getBufferString(messages) + llm string), as its API requires',
      role: 'peer',
      fill: async (index) => {
        answering = index;
        await chatModel.invoke(messages[index]!);
      },
      read: async (index) => {
        const generations = (await langChain.cache.lookup(getBufferString(messages[index]!), llmString)) as
          | Generation[]
          | null;
        return generations?.[0]?.text ?? '';
      },
      close: langChain.close,
    },
  ];
}
