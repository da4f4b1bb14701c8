import assert from 'node:assert/strict';
import { InMemoryCache } from '@langchain/core/caches';
import { type BaseMessage, getBufferString } from '@langchain/core/messages';
import type { Generation } from '@langchain/core/outputs';
import { createPromptCache } from '@prompt-cache/core';
import { cloneValue, deepFreeze } from '@prompt-cache/core/store-kit';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { miss } from '../expect-hit.js';
import { type ConverseResponse, converseRequest, converseResponse } from '../fixtures.js';
import { latencyTiming, measure } from '../measure.js';
import { answerText, chatModelFor, toLangChainMessages } from '../peers/langchain-messages.js';
import { describeSharing, valueSharing } from '../peers/value-sharing.js';
import { requestKey } from '../request-key.js';
import { type Goal, latencyRow, type Suite, verdictOf } from '../suite.js';
import { installedVersion } from '../versions.js';

/**
 * The hit path of every in-process cache on the same 1,000 pre-populated Converse requests, against the
 * physical floor: deriving the key alone (canonical JSON + SHA-256 of the same request). Each library is
 * first checked to answer every request with its own response; then its hits are timed side by side.
 */
export const hitPathSuite: Suite = {
  id: 'hit-path',
  title: 'Hit path, in memory (1,000 Converse requests of ~2 KB, responses of ~1.5 KB)',
  async run(context) {
    const entries = context.tiny ? 20 : 1000;
    const requests = Array.from({ length: entries }, (_, index) => converseRequest(index));
    const keys = requests.map(requestKey);
    const expected = (index: number) => converseResponse(index);

    // prompt-cache, memory store.
    const promptCache = createPromptCache<(typeof requests)[number], ConverseResponse>({
      store: createMemoryStore({ maxEntries: entries }),
    });
    for (const [index, request] of requests.entries())
      await promptCache.getOrCompute(request, async () => expected(index));

    // keyv, its default in-memory store, the same SHA-256 key.
    const keyv = new Keyv<ConverseResponse>();
    for (const [index, key] of keys.entries()) await keyv.set(key, expected(index));

    // cache-manager 7: wrap() is its read-through call.
    const cacheManager = createCache();
    for (const [index, key] of keys.entries()) await cacheManager.wrap(key, async () => expected(index));

    // LangChain: a chat model with InMemoryCache, filled through invoke() so LangChain builds its own keys.
    const langChainCache = new InMemoryCache();
    const messages = requests.map(toLangChainMessages);
    let answering = 0;
    const chatModel = chatModelFor(requests[0]!, {
      cache: langChainCache,
      respond: async () => answerText(expected(answering)),
    });
    for (answering = 0; answering < entries; answering++) await chatModel.invoke(messages[answering]!);
    // The same two strings BaseChatModel.generate() hands to cache.lookup().
    const llmString = chatModel._getSerializedCacheKeyParametersForCall({});
    const langChainLookup = (input: BaseMessage[]) =>
      langChainCache.lookup(getBufferString(input), llmString) as Promise<Generation[] | null>;

    // Correct before fast: every library answers a sample of requests with their own responses.
    for (const index of [0, 1, Math.floor(entries / 2), entries - 1]) {
      const request = requests[index]!;
      const key = keys[index]!;
      assert.deepEqual((await promptCache.getOrCompute(request, miss)).value, expected(index));
      assert.deepEqual(await keyv.get(key), expected(index), 'keyv returned a wrong response');
      assert.deepEqual(
        await cacheManager.wrap<ConverseResponse>(key, miss),
        expected(index),
        'cache-manager: wrong response',
      );
      const generations = await langChainLookup(messages[index]!);
      assert.equal(generations?.[0]?.text, answerText(expected(index)), 'LangChain: wrong response');
      const invoked = await chatModelFor(request, { cache: langChainCache, respond: miss }).invoke(
        messages[index]!,
      );
      assert.equal(invoked.content, answerText(expected(index)), 'LangChain invoke(): wrong response');
    }
    const sharing = {
      promptCache: await valueSharing(
        async () => (await promptCache.getOrCompute(requests[0]!, miss)).value,
        (value) => value.output.message,
      ),
      keyv: await valueSharing(
        async () => (await keyv.get(keys[0] as string)) as ConverseResponse,
        (value) => value.output.message,
      ),
      cacheManager: await valueSharing(
        () => cacheManager.wrap<ConverseResponse>(keys[0]!, miss),
        (value) => value.output.message,
      ),
      langChain: await valueSharing(
        async () => (await langChainLookup(messages[0] as BaseMessage[])) as Generation[],
        (value) => value[0]!,
      ),
    };

    // The least any cache that hands out a copy can do: a bare Map of the same frozen values, the same key, the same copy.
    const bare = new Map(keys.map((key, index) => [key, deepFreeze(expected(index))]));
    assert.deepEqual(cloneValue(bare.get(keys[1]!)), expected(1));

    let next = 0;
    const pick = () => next++ % entries;
    const results = await measure(
      {
        floor: () => requestKey(requests[pick()]),
        'bare-copy': async () => cloneValue(bare.get(requestKey(requests[pick()]))),
        'prompt-cache': () => promptCache.getOrCompute(requests[pick()]!, miss),
        keyv: () => keyv.get(requestKey(requests[pick()])),
        'cache-manager': () => cacheManager.wrap(requestKey(requests[pick()]), miss),
        langchain: () => langChainLookup(messages[pick()]!),
      },
      latencyTiming(context),
    );
    // For context only: the whole LangChain call a user makes, around the same cache hit.
    const invokeModel = chatModelFor(requests[0]!, { cache: langChainCache, respond: miss });
    const invoke = (
      await measure(
        { invoke: () => invokeModel.invoke(messages[pick()] as BaseMessage[]) },
        latencyTiming(context, { timeMs: 500, rounds: 6 }),
      )
    ).get('invoke')!;

    const floor = results.get('floor')!;
    const row = (label: string, name: string, note: string) =>
      latencyRow(label, results.get(name)!, floor, note);
    const rows = [
      { ...row('floor: canonical JSON + SHA-256', 'floor', 'the key alone'), ratio: 1 },
      row(
        'bare Map + copy, async (no cache around it)',
        'bare-copy',
        'key, Map.get, cloneValue, one promise: the least a cache that returns a copy does',
      ),
      row('prompt-cache getOrCompute (memory store)', 'prompt-cache', describeSharing(sharing.promptCache)),
      row(
        `keyv ${installedVersion('keyv')} get (in-memory Map)`,
        'keyv',
        `${describeSharing(sharing.keyv)}; same SHA-256 key`,
      ),
      row(
        `cache-manager ${installedVersion('cache-manager')} wrap`,
        'cache-manager',
        `${describeSharing(sharing.cacheManager)}; same SHA-256 key`,
      ),
      row(
        `LangChain InMemoryCache lookup (@langchain/core ${installedVersion('@langchain/core')})`,
        'langchain',
        `${describeSharing(sharing.langChain)}; key: getBufferString(messages) + llm string, js-sha256`,
      ),
      latencyRow(
        'LangChain chat model invoke() on a cached answer (context)',
        invoke,
        floor,
        'the same hit through the call a LangChain user makes (callbacks, message copies)',
      ),
    ];

    const hit = results.get('prompt-cache')!;
    const ratio = hit.medianNs / floor.medianNs;
    const bareCopyRatio = results.get('bare-copy')!.medianNs / floor.medianNs;
    const peers = ['keyv', 'cache-manager', 'langchain'].map((name) => results.get(name)!);
    const fastestPeer = peers.reduce((best, peer) => (peer.medianNs < best.medianNs ? peer : best));
    const goals: Goal[] = [
      {
        goal: 'prompt-cache hit faster than every peer',
        met: peers.every((peer) => hit.medianNs < peer.medianNs),
        detail: `${(hit.medianNs / 1000).toFixed(2)} µs vs fastest peer ${fastestPeer.name} ${(
          fastestPeer.medianNs / 1000
        ).toFixed(2)} µs`,
      },
      {
        goal: 'prompt-cache hit within 1.15x of the floor',
        met: ratio <= 1.15,
        detail:
          `${ratio.toFixed(2)}x; a bare Map returning the same copy: ${bareCopyRatio.toFixed(2)}x, ` +
          `prompt-cache at ${(hit.medianNs / results.get('bare-copy')!.medianNs).toFixed(2)}x of it`,
      },
    ];
    return {
      id: this.id,
      title: this.title,
      reference:
        'canonical JSON + SHA-256 of the request without its metadata (the key alone, as prompt-cache derives it)',
      rows,
      goals,
      verdicts: goals.map(verdictOf),
      notes: [
        `Each library answered a sample of requests with their own responses before it was timed. keyv and ` +
          `cache-manager get the key prompt-cache derives (SHA-256 of canonical JSON), computed inside the timed ` +
          `call; LangChain builds its own key as BaseChatModel does (the messages as one string, plus the model's ` +
          `parameters), hashed with its bundled pure-JavaScript SHA-256.`,
      ],
      chart: {
        title: 'Median time per cache hit (lower is better)',
        unit: 'ns',
        bars: (
          [
            ['floor: canonical JSON + SHA-256', 'floor'],
            ['bare Map + copy', 'bare-copy'],
            ['prompt-cache', 'prompt-cache'],
            ['keyv', 'keyv'],
            ['cache-manager', 'cache-manager'],
            ['LangChain InMemoryCache', 'langchain'],
          ] as const
        ).map(([label, name]) => ({
          label,
          value: results.get(name)!.medianNs,
          highlight: name === 'prompt-cache',
        })),
      },
    };
  },
};
