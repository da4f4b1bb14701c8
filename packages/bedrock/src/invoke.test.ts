import { Readable } from 'node:stream';
import { InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import { describe, expect, it } from 'vitest';
import { CLAUDE, collect, NOVA, nativeChunks, TITAN, useCachedClients } from '../test/helpers.js';
import { cacheInfo } from './cache-info.js';

const harness = useCachedClients();
const { cachedClient } = harness;

function upstreamCalls(operation: string): number {
  return harness.server.calls().filter((call) => call.operation === operation).length;
}

const bodies = {
  nova: (question: string, maxTokens = 400) => ({
    modelId: NOVA,
    body: JSON.stringify({
      messages: [{ role: 'user', content: [{ text: question }] }],
      inferenceConfig: { max_new_tokens: maxTokens },
    }),
  }),
  claude: (question: string, maxTokens = 400) => ({
    modelId: CLAUDE,
    body: JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: maxTokens,
      messages: [{ role: 'user', content: question }],
    }),
  }),
  titan: (question: string, maxTokens = 400) => ({
    modelId: TITAN,
    body: JSON.stringify({ inputText: question, textGenerationConfig: { maxTokenCount: maxTokens } }),
  }),
};

describe('InvokeModel through the real SDK client', () => {
  it.each(
    Object.entries(bodies),
  )('misses, then hits for %s, with the SDK body type intact', async (_family, build) => {
    const { client } = cachedClient();
    const input = { ...build('How does InvokeModel caching work?'), contentType: 'application/json' };
    const before = upstreamCalls('InvokeModel');
    const first = await client.send(new InvokeModelCommand(input));
    const second = await client.send(new InvokeModelCommand(input));
    expect(upstreamCalls('InvokeModel') - before).toBe(1);
    // The very class of the SDK's own bodies (smithy's `mutate` uses the parent of the exported class, so
    // neither body is `instanceof` the export; both are Uint8ArrayBlobAdapters with transformToString).
    expect(second.body.constructor).toBe(first.body.constructor);
    expect(second.body.constructor.name).toBe('Uint8ArrayBlobAdapter');
    expect(second.body).toBeInstanceOf(Uint8Array);
    expect(Uint8ArrayBlobAdapter.prototype).toBeInstanceOf(second.body.constructor);
    expect(second.body.transformToString()).toBe(first.body.transformToString());
    expect(second.body.transformToString('base64')).toBe(first.body.transformToString('base64'));
    expect(second.contentType).toBe(first.contentType);
    expect(JSON.parse(second.body.transformToString())).toEqual(JSON.parse(first.body.transformToString()));
    expect(cacheInfo(first)).toMatchObject({ status: 'miss', stored: true });
    const hit = cacheInfo(second)!;
    expect(hit).toMatchObject({ status: 'hit', meta: { model: input.modelId, provider: 'simulator' } });
    expect(hit.meta.usage?.outputTokens).toBeGreaterThan(0);
    // Every family has a price (Titan Text too), so a hit saves known dollars.
    expect(hit.meta.costUsd).toBeGreaterThan(0);
    expect(hit.saved.usd).toBe(hit.meta.costUsd);
  });

  it('keys a string body and the same bytes alike, and bodies that differ apart', async () => {
    const { client, cached } = cachedClient();
    const input = bodies.nova('Bytes or text?');
    const asBytes = { ...input, body: new TextEncoder().encode(input.body) };
    expect(cached.keyFor(new InvokeModelCommand(asBytes))).toBe(cached.keyFor(new InvokeModelCommand(input)));
    expect(cached.keyFor(new InvokeModelCommand(bodies.nova('Bytes or text!')))).not.toBe(
      cached.keyFor(new InvokeModelCommand(input)),
    );
    expect(cached.keyFor(new InvokeModelCommand({ ...input, requestMetadata: 'ticket=1' }))).toBe(
      cached.keyFor(new InvokeModelCommand(input)),
    );
    expect(cached.keyFor(new InvokeModelCommand({ ...input, guardrailIdentifier: 'gr-1' }))).not.toBe(
      cached.keyFor(new InvokeModelCommand(input)),
    );
    await client.send(new InvokeModelCommand(input));
    expect(cacheInfo(await client.send(new InvokeModelCommand(asBytes)))?.status).toBe('hit');
  });

  it('sends a body it cannot key (a stream) uncached', async () => {
    const { client, cached } = cachedClient();
    const { modelId, body } = bodies.nova('A streamed request body');
    const response = await client.send(
      new InvokeModelCommand({
        modelId,
        body: Readable.from([Buffer.from(body)]),
        contentType: 'application/json',
      }),
    );
    expect(response.body.transformToString()).toContain('[simulated]');
    expect(cacheInfo(response)).toMatchObject({ status: 'bypass', notStoredReason: 'bypass' });
    expect(cached.stats.snapshot()).toMatchObject({ bypasses: 1, errors: 1 });
  });

  it.each([
    ['nova', 'max_tokens'],
    ['claude', 'max_tokens'],
    ['titan', 'LENGTH'],
  ] as const)('with cacheTruncated false, never caches a %s answer cut short by its token limit', async (family, stopReason) => {
    const { client, store } = cachedClient({ cacheTruncated: false });
    const response = await client.send(
      new InvokeModelCommand(bodies[family]('Tell me all about caching', 3)),
    );
    expect(response.body.transformToString()).toContain(stopReason);
    expect(cacheInfo(response)).toMatchObject({
      stored: false,
      notStoredDetail: expect.stringContaining(stopReason),
    });
    expect(await store.entries()).toBe(0);
  });

  it('never caches an answer a guardrail intervened in', async () => {
    const { client, store } = cachedClient();
    const input = { ...bodies.claude('This is BLOCKED'), guardrailIdentifier: 'gr-1', guardrailVersion: '1' };
    const response = await client.send(new InvokeModelCommand(input));
    expect(JSON.parse(response.body.transformToString())['amazon-bedrock-guardrailAction']).toBe(
      'INTERVENED',
    );
    expect(cacheInfo(response)).toMatchObject({ stored: false, notStoredDetail: 'a guardrail intervened' });
    expect(await store.entries()).toBe(0);
  });
});

describe('InvokeModelWithResponseStream through the real SDK client', () => {
  it.each(
    Object.entries(bodies),
  )('records and replays a %s stream chunk by chunk', async (_family, build) => {
    const { client } = cachedClient();
    const input = build('How are native streams replayed?');
    const before = upstreamCalls('InvokeModelWithResponseStream');
    const live = await client.send(new InvokeModelWithResponseStreamCommand(input));
    const liveEvents = await collect(live.body);
    expect(await cacheInfo(live)!.settled).toMatchObject({ status: 'miss', stored: true });
    const replay = await client.send(new InvokeModelWithResponseStreamCommand(input));
    const replayEvents = await collect(replay.body);
    expect(upstreamCalls('InvokeModelWithResponseStream') - before).toBe(1);
    expect(replayEvents).toEqual(liveEvents);
    expect(replayEvents[0]?.chunk?.bytes).toBeInstanceOf(Uint8Array);
    expect(nativeChunks(replayEvents)).toEqual(nativeChunks(liveEvents));
    expect(replay.contentType).toBe(live.contentType);
    const hit = cacheInfo(replay)!;
    expect(hit.status).toBe('hit');
    expect(hit.meta.usage?.outputTokens).toBeGreaterThan(0);
  });

  it.each([
    ['nova', 'max_tokens'],
    ['claude', 'max_tokens'],
    ['titan', 'LENGTH'],
  ] as const)('with cacheTruncated false, never caches a truncated %s stream', async (family, stopReason) => {
    const { client, store } = cachedClient({ cacheTruncated: false });
    const response = await client.send(
      new InvokeModelWithResponseStreamCommand(bodies[family]('Long please', 3)),
    );
    await collect(response.body);
    expect(await cacheInfo(response)!.settled).toMatchObject({
      stored: false,
      notStoredDetail: expect.stringContaining(stopReason),
    });
    expect(await store.entries()).toBe(0);
  });

  it('caches nothing after a mid-stream exception', async () => {
    const { client, store } = cachedClient();
    harness.server.simulator.injectFault({ kind: 'stream-exception', afterEvents: 2 });
    const response = await client.send(
      new InvokeModelWithResponseStreamCommand(bodies.claude('Break, please')),
    );
    await expect(collect(response.body)).rejects.toMatchObject({ name: 'ModelStreamErrorException' });
    expect(await cacheInfo(response)!.settled).toMatchObject({ notStoredReason: 'upstream-error' });
    expect(await store.entries()).toBe(0);
  });
});
