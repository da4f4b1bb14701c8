import { ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it, vi } from 'vitest';
import {
  brokenStore,
  CLAUDE,
  collect,
  converseInput,
  countingStore,
  createTestClient,
  startSimulator,
  streamText,
  useCachedClients,
} from '../test/helpers.js';
import { withCacheControl } from './cache-control.js';
import { type CacheInfo, cacheInfo } from './cache-info.js';
import { withPromptCache } from './with-prompt-cache.js';

const harness = useCachedClients();
const { cachedClient } = harness;

function streamCalls(): number {
  return harness.server.calls().filter((call) => call.operation === 'ConverseStream').length;
}

const toolInput = {
  modelId: CLAUDE,
  messages: [{ role: 'user' as const, content: [{ text: 'Use get_weather for Paris, please.' }] }],
  toolConfig: {
    tools: [
      {
        toolSpec: {
          name: 'get_weather',
          description: 'Current weather for a city',
          inputSchema: {
            json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      },
    ],
  },
};

const reasoningInput = {
  modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
  messages: [{ role: 'user' as const, content: [{ text: 'Why do caches need a TTL?' }] }],
  additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
};

describe('ConverseStream through the real SDK client', () => {
  it('replays a hit event by event, equal to the live stream, without an upstream call', async () => {
    const { client, cached } = cachedClient();
    const input = converseInput('How does stream caching work?');
    const live = await client.send(new ConverseStreamCommand(input));
    expect(cacheInfo(live)).toMatchObject({ status: 'miss', pending: true, stored: false });
    const liveEvents = await collect(live.stream);
    const settled = await cacheInfo(live)!.settled;
    expect(settled).toMatchObject({ status: 'miss', pending: false, stored: true });
    const before = streamCalls();
    const replay = await client.send(new ConverseStreamCommand(input));
    const replayEvents = await collect(replay.stream);
    expect(streamCalls()).toBe(before);
    expect(replayEvents).toEqual(liveEvents);
    expect(replayEvents.map((event) => Object.keys(event)[0])).toEqual([
      'messageStart',
      ...Array(replayEvents.length - 4).fill('contentBlockDelta'),
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    expect(replay.$metadata.attempts).toBe(0);
    expect(cacheInfo(replay)).toMatchObject({
      status: 'hit',
      stored: true,
      pending: false,
      meta: { usage: liveEvents.at(-1)?.metadata?.usage, provider: 'simulator' },
    });
    expect(cacheInfo(replay)?.saved.tokens).toBeGreaterThan(0);
    expect(cached.stats.snapshot()).toMatchObject({ hits: 1, misses: 1, sets: 1 });
  });

  it('records and replays tool use and reasoning streams', async () => {
    const { client } = cachedClient();
    for (const input of [toolInput, reasoningInput]) {
      const live = await collect((await client.send(new ConverseStreamCommand(input))).stream);
      const replayed = await client.send(new ConverseStreamCommand(input));
      const replay = await collect(replayed.stream);
      expect(cacheInfo(replayed)?.status).toBe('hit');
      expect(replay).toEqual(live);
    }
    const tool = await collect((await client.send(new ConverseStreamCommand(toolInput))).stream);
    expect(tool.some((event) => event.contentBlockStart?.start?.toolUse?.name === 'get_weather')).toBe(true);
    expect(tool.map((event) => event.contentBlockDelta?.delta?.toolUse?.input ?? '').join('')).toContain(
      'city',
    );
    expect(tool.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('tool_use');
    const reasoning = await collect((await client.send(new ConverseStreamCommand(reasoningInput))).stream);
    expect(reasoning.some((event) => event.contentBlockDelta?.delta?.reasoningContent?.text)).toBe(true);
    expect(reasoning.some((event) => event.contentBlockDelta?.delta?.reasoningContent?.signature)).toBe(true);
  });

  it('shares one upstream stream between concurrent identical calls; each consumer gets all of it', async () => {
    const { client, cached } = cachedClient();
    const input = converseInput('Five readers, one stream');
    const before = streamCalls();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => client.send(new ConverseStreamCommand(input))),
    );
    const streams = await Promise.all(responses.map((response) => collect(response.stream)));
    expect(streamCalls() - before).toBe(1);
    for (const events of streams) expect(events).toEqual(streams[0]);
    expect(streams[0]?.at(-1)?.metadata).toBeDefined();
    const infos = await Promise.all(responses.map((response) => cacheInfo(response)!.settled));
    expect(infos.map((info) => info.status).sort()).toEqual(['hit', 'hit', 'hit', 'hit', 'miss']);
    expect(infos.filter((info) => info.coalesced)).toHaveLength(4);
    expect(infos.every((info) => info.stored)).toBe(true);
    expect(cached.stats.snapshot()).toMatchObject({ misses: 1, hits: 4, coalesced: 4, sets: 1 });
  });

  it('lets each consumer of a shared stream read at its own pace; one that stops early harms nobody', async () => {
    const { client, store } = cachedClient();
    const input = converseInput('Slow and fast readers');
    const [quitter, reader] = await Promise.all([
      client.send(new ConverseStreamCommand(input)),
      client.send(new ConverseStreamCommand(input)),
    ]);
    const seen: ConverseStreamOutput[] = [];
    for await (const event of quitter.stream!) {
      seen.push(event);
      if (seen.length === 2) break;
    }
    const full = await collect(reader.stream);
    expect(full.slice(0, 2)).toEqual(seen);
    expect(full.at(-1)?.metadata).toBeDefined();
    expect((await cacheInfo(reader)!.settled).stored).toBe(true);
    expect(await store.entries()).toBe(1);
  });

  it('caches nothing when the only consumer stops early, and cancels the upstream stream', async () => {
    const { client, store } = cachedClient();
    const input = converseInput('I will stop reading soon');
    const response = await client.send(new ConverseStreamCommand(input));
    let count = 0;
    for await (const _event of response.stream!) if (++count === 3) break;
    const info = await cacheInfo(response)!.settled;
    expect(info).toMatchObject({ status: 'miss', stored: false, notStoredReason: 'stream-abandoned' });
    expect(await store.entries()).toBe(0);
    const before = streamCalls();
    const again = await client.send(new ConverseStreamCommand(input));
    await collect(again.stream);
    expect(streamCalls() - before).toBe(1);
    expect((await cacheInfo(again)!.settled).stored).toBe(true);
  });

  it('cancels the upstream stream when every consumer has stopped', async () => {
    const slow = await startSimulator({ latency: { firstTokenMs: 0, perTokenMs: 15, jitter: 0 } });
    const client = createTestClient(slow.url);
    try {
      withPromptCache(client, { store: countingStore() });
      const response = await client.send(new ConverseStreamCommand(converseInput('a slow, long answer')));
      let count = 0;
      for await (const _event of response.stream!) if (++count === 2) break;
      expect(await cacheInfo(response)!.settled).toMatchObject({ notStoredReason: 'stream-abandoned' });
      await vi.waitFor(() => expect(slow.cancelled()).toBe(1), { timeout: 5_000 });
    } finally {
      client.destroy();
      await slow.close();
    }
  });

  it('caches nothing after a mid-stream exception, which reaches every consumer', async () => {
    const { client, store } = cachedClient();
    const input = converseInput('This stream breaks');
    harness.server.simulator.injectFault({ kind: 'stream-exception', afterEvents: 3 });
    const responses = await Promise.all([
      client.send(new ConverseStreamCommand(input)),
      client.send(new ConverseStreamCommand(input)),
    ]);
    for (const response of responses) {
      const seen: ConverseStreamOutput[] = [];
      await expect(
        (async () => {
          for await (const event of response.stream!) seen.push(event);
        })(),
      ).rejects.toMatchObject({ name: 'ModelStreamErrorException' });
      expect(seen).toHaveLength(3);
    }
    const infos = await Promise.all(responses.map((response) => cacheInfo(response)!.settled));
    for (const info of infos)
      expect(info).toMatchObject({ stored: false, notStoredReason: 'upstream-error' });
    expect(await store.entries()).toBe(0);
  });

  it('caches nothing when the call fails before the stream starts, and every waiting caller gets the error', async () => {
    const failures: CacheInfo[] = [];
    const { client, store } = cachedClient({ onResult: (info) => failures.push(info) });
    harness.server.simulator.injectFault({ kind: 'throttle' });
    const input = converseInput('Throttled stream');
    const results = await Promise.allSettled([
      client.send(new ConverseStreamCommand(input)),
      client.send(new ConverseStreamCommand(input)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(results.map((result) => (result as PromiseRejectedResult).reason.name)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
    ]);
    expect(failures.map((info) => info.notStoredReason)).toEqual(['upstream-error', 'upstream-error']);
    expect(await store.entries()).toBe(0);
  });

  it('never caches guardrail_intervened streams, nor max_tokens ones with cacheTruncated false', async () => {
    const { client, store } = cachedClient({ cacheTruncated: false });
    const truncated = await client.send(
      new ConverseStreamCommand({
        ...converseInput('A long answer, please'),
        inferenceConfig: { maxTokens: 4 },
      }),
    );
    const truncatedEvents = await collect(truncated.stream);
    expect(truncatedEvents.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('max_tokens');
    expect(await cacheInfo(truncated)!.settled).toMatchObject({
      stored: false,
      notStoredReason: 'not-cacheable',
      notStoredDetail: expect.stringContaining('max_tokens'),
    });
    const blocked = await client.send(
      new ConverseStreamCommand({
        ...converseInput('Something BLOCKED'),
        guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
      }),
    );
    const blockedEvents = await collect(blocked.stream);
    expect(blockedEvents.find((event) => event.messageStop)?.messageStop?.stopReason).toBe(
      'guardrail_intervened',
    );
    expect(await cacheInfo(blocked)!.settled).toMatchObject({
      stored: false,
      notStoredReason: 'not-cacheable',
    });
    expect(await store.entries()).toBe(0);
  });

  it('keeps a truncated stream by default, and says why it did not with cacheTruncated false', async () => {
    const { client } = cachedClient();
    const input = { ...converseInput('A long answer, please'), inferenceConfig: { maxTokens: 4 } };
    await collect((await client.send(new ConverseStreamCommand(input))).stream);
    expect(cacheInfo(await client.send(new ConverseStreamCommand(input)))?.status).toBe('hit');

    const strict = cachedClient({ cacheTruncated: false }).client;
    const live = await strict.send(new ConverseStreamCommand(input));
    await collect(live.stream);
    expect(await cacheInfo(live)!.settled).toMatchObject({ stored: false, notStoredCode: 'max_tokens' });
  });

  it('bypasses and refreshes per call', async () => {
    const { client, cached } = cachedClient();
    const input = converseInput('stream controls');
    await collect((await client.send(new ConverseStreamCommand(input))).stream);
    const before = streamCalls();
    const bypassed = await client.send(
      withCacheControl(new ConverseStreamCommand(input), { mode: 'bypass' }),
    );
    expect(cacheInfo(bypassed)).toMatchObject({ status: 'bypass', pending: false });
    await collect(bypassed.stream);
    const refreshed = await client.send(
      withCacheControl(new ConverseStreamCommand(input), { mode: 'refresh' }),
    );
    await collect(refreshed.stream);
    expect(await cacheInfo(refreshed)!.settled).toMatchObject({ status: 'miss', stored: true });
    expect(streamCalls() - before).toBe(2);
    expect(cached.stats.snapshot()).toMatchObject({ bypasses: 1, sets: 2 });
  });

  it('replays with the recorded timing when asked, through the injected sleep', async () => {
    const waits: number[] = [];
    const sleep = async (milliseconds: number) => {
      waits.push(milliseconds);
    };
    const paced = cachedClient({ replayPacing: 'original', sleep });
    const input = converseInput('paced replay');
    const live = await collect((await paced.client.send(new ConverseStreamCommand(input))).stream);
    const replay = await collect((await paced.client.send(new ConverseStreamCommand(input))).stream);
    expect(replay).toEqual(live);
    expect(waits.every((milliseconds) => milliseconds >= 1)).toBe(true);

    const unpaced = cachedClient({ sleep: async () => void waits.push(-1) });
    await collect((await unpaced.client.send(new ConverseStreamCommand(input))).stream);
    waits.length = 0;
    await collect((await unpaced.client.send(new ConverseStreamCommand(input))).stream);
    expect(waits).toEqual([]);
  });

  it('fails open for streams: a broken store never fails the call or the stream', async () => {
    const { client, cached } = cachedClient({ store: brokenStore() });
    const input = converseInput('broken store, live stream');
    const first = await client.send(new ConverseStreamCommand(input));
    const events = await collect(first.stream);
    expect(streamText(events)).toContain('[simulated]');
    expect(await cacheInfo(first)!.settled).toMatchObject({ stored: false, notStoredReason: 'store-error' });
    const second = await client.send(new ConverseStreamCommand(input));
    expect(await collect(second.stream)).toEqual(events);
    expect(cached.stats.snapshot().errors).toBeGreaterThanOrEqual(2);
  });
});
