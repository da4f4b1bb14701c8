import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import type { CacheStore } from '@prompt-cache/core';
import { createFakeClock } from '@prompt-cache/core/testing';
import { createPricing } from '@prompt-cache/pricing';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { describe, expect, it, vi } from 'vitest';
import {
  brokenStore,
  CLAUDE,
  converseInput,
  type countingStore,
  NOVA,
  useCachedClients,
} from '../test/helpers.js';
import { withCacheControl } from './cache-control.js';
import { type CacheInfo, cacheInfo } from './cache-info.js';
import { type BedrockCacheOptions, withPromptCache } from './with-prompt-cache.js';

const harness = useCachedClients();
const { cachedClient } = harness;

function upstreamCalls(): number {
  return harness.server.calls().length;
}

describe('Converse through the real SDK client', () => {
  it('misses, then hits with identical content and no second upstream call', async () => {
    const { client, cached } = cachedClient();
    const before = upstreamCalls();
    const first = await client.send(new ConverseCommand(converseInput()));
    const second = await client.send(new ConverseCommand(converseInput()));
    expect(upstreamCalls() - before).toBe(1);
    const { $metadata: firstMetadata, ...firstBody } = first;
    const { $metadata: secondMetadata, ...secondBody } = second;
    expect(secondBody).toEqual(firstBody);
    expect(firstMetadata.attempts).toBe(1);
    expect(secondMetadata).toMatchObject({ httpStatusCode: 200, attempts: 0 });
    expect(cacheInfo(first)).toMatchObject({ status: 'miss', stored: true, pending: false });
    expect(cacheInfo(second)).toMatchObject({ status: 'hit', key: cacheInfo(first)?.key, stored: true });
    expect(cached.stats.snapshot()).toMatchObject({ hits: 1, misses: 1, sets: 1 });
  });

  it('hands every hit its own copy', async () => {
    const { client } = cachedClient();
    await client.send(new ConverseCommand(converseInput('copies')));
    const hit = await client.send(new ConverseCommand(converseInput('copies')));
    const original = structuredClone(hit.output);
    const block = hit.output?.message?.content?.[0] as { text: string };
    block.text = 'changed by the caller';
    expect((await client.send(new ConverseCommand(converseInput('copies')))).output).toEqual(original);
  });

  it('records the original latency, the usage and the price, and reports them as saved on a hit', async () => {
    const results: CacheInfo[] = [];
    const { client, cached } = cachedClient({ onResult: (info) => results.push(info) });
    const first = await client.send(new ConverseCommand(converseInput('What does a hit save?')));
    const second = await client.send(new ConverseCommand(converseInput('What does a hit save?')));
    const usage = first.usage!;
    const expectedUsd = createPricing().costOf(NOVA, usage)!;
    expect(expectedUsd).toBeGreaterThan(0);
    expect(results.map((info) => info.status)).toEqual(['miss', 'hit']);
    const hit = cacheInfo(second)!;
    expect(hit.meta).toMatchObject({ model: NOVA, provider: 'simulator', costUsd: expectedUsd });
    expect(hit.meta.usage).toMatchObject({
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
    });
    expect(hit.meta.latencyMs).toBeGreaterThanOrEqual(0);
    expect(hit.saved).toMatchObject({ usd: expectedUsd, tokens: usage.inputTokens! + usage.outputTokens! });
    expect(cached.stats.snapshot()).toMatchObject({ savedUsd: expectedUsd, spentUsd: expectedUsd });
  });

  it('prices Bedrock prompt-cache reads and writes through the pricing option', async () => {
    const costOf = vi.fn(() => 0.5);
    const { client } = cachedClient({ pricing: { costOf } });
    const input = {
      modelId: CLAUDE,
      system: [
        { text: 'A long and stable system prompt. '.repeat(40) },
        { cachePoint: { type: 'default' as const } },
      ],
      messages: [{ role: 'user' as const, content: [{ text: 'Which tokens are billed?' }] }],
    };
    const first = await client.send(new ConverseCommand(input));
    expect(first.usage?.cacheWriteInputTokens).toBeGreaterThan(0);
    expect(costOf).toHaveBeenCalledWith(
      CLAUDE,
      expect.objectContaining({ cacheWriteInputTokens: first.usage?.cacheWriteInputTokens }),
    );
    const hit = cacheInfo(await client.send(new ConverseCommand(input)))!;
    expect(hit.saved.usd).toBe(0.5);
    const usage = first.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    expect(hit.saved.tokens).toBe(
      (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0),
    );
  });

  it('works for a model without a price: costUsd is null, the call and the hit still work', async () => {
    const onUnknownModel = vi.fn();
    const { client } = cachedClient({ pricing: createPricing({ onUnknownModel }) });
    const input = converseInput('Hello there', 'example.unknown-model-v1:0');
    const first = await client.send(new ConverseCommand(input));
    const second = await client.send(new ConverseCommand(input));
    expect(first.output).toEqual(second.output);
    expect(cacheInfo(second)).toMatchObject({ status: 'hit', meta: { costUsd: null }, saved: { usd: 0 } });
    expect(onUnknownModel).toHaveBeenCalledWith('example.unknown-model-v1:0');
  });

  it('leaves requestMetadata out of the key', async () => {
    const { client, cached } = cachedClient();
    const base = converseInput('Metadata is not content');
    const tagged = { ...base, requestMetadata: { ticket: '42', team: 'support' } };
    expect(cached.keyFor(new ConverseCommand(tagged))).toBe(cached.keyFor(new ConverseCommand(base)));
    await client.send(new ConverseCommand(base));
    expect(cacheInfo(await client.send(new ConverseCommand(tagged)))?.status).toBe('hit');
  });

  it('gives images that differ by one byte different keys', async () => {
    const { client, cached } = cachedClient();
    const png = new Uint8Array(256).map((_, index) => index);
    const other = png.slice();
    other[200] = 0;
    const withImage = (bytes: Uint8Array) => ({
      modelId: NOVA,
      messages: [
        {
          role: 'user' as const,
          content: [
            { image: { format: 'png' as const, source: { bytes } } },
            { text: 'What is in this picture?' },
          ],
        },
      ],
    });
    expect(cached.keyFor(new ConverseCommand(withImage(png)))).not.toBe(
      cached.keyFor(new ConverseCommand(withImage(other))),
    );
    expect(cached.keyFor(new ConverseCommand(withImage(png)))).toBe(
      cached.keyFor(new ConverseCommand(withImage(png.slice()))),
    );
    await client.send(new ConverseCommand(withImage(png)));
    expect(cacheInfo(await client.send(new ConverseCommand(withImage(other))))?.status).toBe('miss');
    expect(cacheInfo(await client.send(new ConverseCommand(withImage(png.slice()))))?.status).toBe('hit');
  });

  it('ignores cachePoint blocks in system, messages and tools', async () => {
    const { client, cached } = cachedClient();
    const tool = { toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object' } } } };
    const plain = {
      modelId: CLAUDE,
      system: [{ text: 'You answer questions about caching.' }],
      messages: [{ role: 'user' as const, content: [{ text: 'Explain TTLs.' }] }],
      toolConfig: { tools: [tool] },
    };
    const point = { cachePoint: { type: 'default' as const } };
    const withPoints = {
      ...plain,
      system: [...plain.system, point],
      messages: [{ role: 'user' as const, content: [{ text: 'Explain TTLs.' }, point] }],
      toolConfig: { tools: [tool, point] },
    };
    expect(cached.keyFor(new ConverseCommand(withPoints))).toBe(cached.keyFor(new ConverseCommand(plain)));
    await client.send(new ConverseCommand(plain));
    expect(cacheInfo(await client.send(new ConverseCommand(withPoints)))?.status).toBe('hit');
  });

  it('with normalize, folds only text fields', async () => {
    const { cached } = cachedClient({ normalize: true });
    const key = (text: string, modelId = NOVA) =>
      cached.keyFor(new ConverseCommand(converseInput(text, modelId)));
    expect(key('  How does TTL   work? ')).toBe(key('how does ttl work?'));
    expect(key('How does TTL work?', NOVA)).not.toBe(key('How does TTL work?', NOVA.toUpperCase()));
  });

  it('caches answers cut short by max_tokens (maxTokens is in the key), unless cacheTruncated is false', async () => {
    const input = { ...converseInput('Tell me everything about caches'), inferenceConfig: { maxTokens: 5 } };
    const lenient = cachedClient();
    const first = await lenient.client.send(new ConverseCommand(input));
    expect(first.stopReason).toBe('max_tokens');
    expect(cacheInfo(first)).toMatchObject({ status: 'miss', stored: true });
    expect(cacheInfo(await lenient.client.send(new ConverseCommand(input)))?.status).toBe('hit');

    const strict = cachedClient({ cacheTruncated: false });
    expect(cacheInfo(await strict.client.send(new ConverseCommand(input)))).toMatchObject({
      status: 'miss',
      stored: false,
      notStoredReason: 'not-cacheable',
      notStoredCode: 'max_tokens',
      notStoredDetail: expect.stringContaining('max_tokens'),
    });
    expect(cacheInfo(await strict.client.send(new ConverseCommand(input)))?.status).toBe('miss');
    expect(await (strict.store as ReturnType<typeof countingStore>).entries()).toBe(0);
    expect(strict.cached.stats.snapshot().notStored).toEqual({ max_tokens: 2 });
  });

  it('never caches an answer a guardrail intervened in', async () => {
    const { client, store } = cachedClient();
    const input = {
      ...converseInput('This prompt is BLOCKED by policy'),
      guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
    };
    const first = await client.send(new ConverseCommand(input));
    expect(first.stopReason).toBe('guardrail_intervened');
    expect(cacheInfo(first)).toMatchObject({
      stored: false,
      notStoredReason: 'not-cacheable',
      notStoredCode: 'guardrail_intervened',
    });
    expect(await (store as ReturnType<typeof countingStore>).entries()).toBe(0);
  });

  it.each([
    ['throttle', 'ThrottlingException'],
    ['server-error', 'InternalServerException'],
  ] as const)('never caches a %s error, and the next call goes upstream again', async (kind, name) => {
    const failures: CacheInfo[] = [];
    const { client, store } = cachedClient({ onResult: (info) => failures.push(info) });
    const input = converseInput(`errors are not answers (${kind})`);
    harness.server.simulator.injectFault({ kind });
    await expect(client.send(new ConverseCommand(input))).rejects.toMatchObject({ name });
    expect(await (store as ReturnType<typeof countingStore>).entries()).toBe(0);
    expect(failures[0]).toMatchObject({ status: 'miss', notStoredReason: 'upstream-error', error: { name } });
    const before = upstreamCalls();
    expect(cacheInfo(await client.send(new ConverseCommand(input)))?.status).toBe('miss');
    expect(upstreamCalls() - before).toBe(1);
  });

  it('fails open: a broken store never fails client.send', async () => {
    const { client, cached } = cachedClient({ store: brokenStore() });
    const first = await client.send(new ConverseCommand(converseInput('Is the store up?')));
    const second = await client.send(new ConverseCommand(converseInput('Is the store up?')));
    expect(first.output?.message?.content?.[0]?.text).toContain('[simulated]');
    expect(second.output).toEqual(first.output);
    expect(cacheInfo(first)).toMatchObject({ status: 'miss', stored: false, notStoredReason: 'store-error' });
    expect(cached.stats.snapshot().errors).toBeGreaterThanOrEqual(4);
  });

  it('shares one upstream call between concurrent identical calls', async () => {
    const { client } = cachedClient();
    const before = upstreamCalls();
    const input = converseInput('Everyone asks this at once');
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => client.send(new ConverseCommand(input))),
    );
    expect(upstreamCalls() - before).toBe(1);
    expect(new Set(responses.map((response) => JSON.stringify(response.output))).size).toBe(1);
    expect(responses.map((response) => cacheInfo(response)?.coalesced).filter(Boolean)).toHaveLength(4);
  });

  it('answers a known key without the SDK, counted and reported like a hit through client.send', async () => {
    const results: CacheInfo[] = [];
    const { client, cached } = cachedClient({ onResult: (info) => results.push(info) });
    const key = cached.keyFor(new ConverseCommand(converseInput('by key')));
    expect(await cached.lookup(key)).toBeUndefined();
    const first = await client.send(new ConverseCommand(converseInput('by key')));
    const before = upstreamCalls();
    const answer = await cached.lookup(key);
    expect(upstreamCalls()).toBe(before);
    const { $metadata, ...body } = first;
    expect(answer?.output).toMatchObject(body);
    expect(cacheInfo(answer!.output)).toBe(answer?.info);
    // The output getter builds the caller's copy once, on first read; later reads return that same object.
    const firstRead = answer!.output;
    expect(answer!.output).toBe(firstRead);
    // The output is the caller's own copy: changing it changes nothing in the cache.
    const mine = answer!.output as { output: { message: { content: { text: string }[] } } };
    mine.output.message.content[0]!.text = 'changed by the caller';
    const again = (await cached.lookup(key))!.output as typeof mine;
    expect(again.output.message.content[0]!.text).not.toBe('changed by the caller');
    expect(answer?.info).toMatchObject({
      status: 'hit',
      key,
      operation: 'Converse',
      saved: { tokens: expect.any(Number) },
    });
    expect(answer?.entry.meta.model).toBe(NOVA);
    expect(results.map((info) => info.status)).toEqual(['miss', 'hit', 'hit']);
    expect(cached.stats.snapshot()).toMatchObject({ hits: 2, misses: 1 });

    const streamKey = cached.keyFor(new ConverseStreamCommand(converseInput('a stream')));
    const stream = await client.send(new ConverseStreamCommand(converseInput('a stream')));
    for await (const _event of stream.stream ?? []) {
      // drain, so the recording is stored
    }
    await cacheInfo(stream)?.settled;
    await expect(cached.lookup(streamKey)).rejects.toThrow(
      /holds a recorded ConverseStream, which client.send replays/,
    );
  });

  it('passes other commands through untouched', async () => {
    const { client, cached } = cachedClient({ operations: ['ConverseStream'] });
    const before = upstreamCalls();
    await client.send(new ConverseCommand(converseInput('not cached here')));
    const second = await client.send(new ConverseCommand(converseInput('not cached here')));
    expect(upstreamCalls() - before).toBe(2);
    expect(cacheInfo(second)).toBeUndefined();
    expect(cached.stats.snapshot().misses).toBe(0);
  });
});

describe('per-call controls', () => {
  it('bypass neither reads nor writes; refresh skips the read and writes', async () => {
    const { client, cached } = cachedClient();
    const input = converseInput('controls');
    await client.send(new ConverseCommand(input));
    const before = upstreamCalls();
    const bypassed = await client.send(withCacheControl(new ConverseCommand(input), { mode: 'bypass' }));
    expect(cacheInfo(bypassed)).toMatchObject({ status: 'bypass', key: '', notStoredReason: 'bypass' });
    const refreshed = await client.send(withCacheControl(new ConverseCommand(input), { mode: 'refresh' }));
    expect(cacheInfo(refreshed)).toMatchObject({ status: 'miss', stored: true });
    expect(upstreamCalls() - before).toBe(2);
    expect(cacheInfo(await client.send(new ConverseCommand(input)))?.status).toBe('hit');
    expect(cached.stats.snapshot()).toMatchObject({ bypasses: 1, sets: 2 });
  });

  it('applies only to the command it was attached to', async () => {
    const { client } = cachedClient();
    const input = converseInput('shared input object');
    await client.send(new ConverseCommand(input));
    const bypassed = withCacheControl(new ConverseCommand(input), { mode: 'bypass' });
    expect(cacheInfo(await client.send(bypassed))?.status).toBe('bypass');
    expect(cacheInfo(await client.send(new ConverseCommand(input)))?.status).toBe('hit');
    expect(cacheInfo(await client.send(bypassed))?.status).toBe('bypass');
  });

  it('honours a per-call TTL and tags, by the injected clock', async () => {
    const clock = createFakeClock();
    const { client } = cachedClient({ clock, store: createMemoryStore({ clock }), ttlSeconds: 600 });
    const short = converseInput('short-lived');
    const long = converseInput('long-lived');
    await client.send(withCacheControl(new ConverseCommand(short), { ttlSeconds: 5, tags: ['docs-v1'] }));
    await client.send(new ConverseCommand(long));
    const tagged = await client.send(new ConverseCommand(short));
    expect(cacheInfo(tagged)?.meta.tags).toEqual(['docs-v1']);
    clock.advance(6_000);
    expect(cacheInfo(await client.send(new ConverseCommand(short)))?.status).toBe('miss');
    expect(cacheInfo(await client.send(new ConverseCommand(long)))?.status).toBe('hit');
    clock.advance(600_000);
    expect(cacheInfo(await client.send(new ConverseCommand(long)))?.status).toBe('miss');
  });

  it('rejects bad controls when they are attached', () => {
    const command = new ConverseCommand(converseInput());
    expect(() => withCacheControl(command, { ttlSeconds: -1 })).toThrow(/ttl/i);
    expect(() => withCacheControl(command, { mode: 'sometimes' as never })).toThrow(/mode/);
  });

  it('never changes the request that reaches Bedrock', async () => {
    const plainClient = harness.plainClient();
    const { client } = cachedClient();
    const input = {
      ...converseInput('Byte for byte, please'),
      requestMetadata: { ticket: '7' },
      inferenceConfig: { maxTokens: 300, temperature: 0.1 },
    };
    const captured = () => harness.server.requests.at(-1)!;
    await plainClient.send(new ConverseCommand(input));
    const withoutCache = captured();
    await client.send(
      withCacheControl(new ConverseCommand(input), { mode: 'refresh', ttlSeconds: 60, tags: ['x'] }),
    );
    const withCache = captured();
    expect(withCache).not.toBe(withoutCache);
    expect(withCache.path).toBe(withoutCache.path);
    expect(withCache.body.equals(withoutCache.body)).toBe(true);
    const stable = (headers: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(headers).filter(
          ([name]) =>
            !['authorization', 'x-amz-date', 'amz-sdk-invocation-id', 'amz-sdk-request'].includes(name),
        ),
      );
    expect(stable(withCache.headers)).toEqual(stable(withoutCache.headers));
  });
});

describe('the controller', () => {
  it('explains and invalidates keys, and takes the middleware off with remove()', async () => {
    const { client, cached } = cachedClient();
    const command = new ConverseCommand(converseInput('explain me'));
    const explanation = cached.explain(command);
    expect(explanation.key).toBe(cached.keyFor(command));
    expect(explanation.material).toContain('"operation":"Converse"');
    expect(explanation.material).toContain('explain me');
    expect(cached.keyFor(converseInput('explain me'))).toBe(cached.keyFor(command));
    await client.send(command);
    expect(await cached.invalidate(command)).toBe(true);
    expect(cacheInfo(await client.send(new ConverseCommand(converseInput('explain me'))))?.status).toBe(
      'miss',
    );
    cached.remove();
    cached.remove();
    expect(cacheInfo(await client.send(new ConverseCommand(converseInput('explain me'))))).toBeUndefined();
    expect(() => withPromptCache(client, { store: createMemoryStore() })).not.toThrow();
  });

  it('refuses a second cache on the same client, and bad options', () => {
    const { client } = cachedClient();
    expect(() => withPromptCache(client, { store: createMemoryStore() })).toThrow(
      /already has a prompt cache/,
    );
    const other = harness.plainClient();
    expect(() => withPromptCache(other, {} as BedrockCacheOptions)).toThrow(/needs a store/);
    expect(() => withPromptCache(other, { store: createMemoryStore(), replayPacing: -1 })).toThrow(
      /replayPacing/,
    );
    expect(() =>
      withPromptCache(other, { store: createMemoryStore(), operations: ['Chat' as never] }),
    ).toThrow(/operations/);
  });

  it('close() removes the middleware and closes the store', async () => {
    const close = vi.fn(async () => {});
    const store: CacheStore = { ...createMemoryStore(), close };
    const { client, cached } = cachedClient({ store });
    await cached.close();
    expect(close).toHaveBeenCalledTimes(1);
    expect(cacheInfo(await client.send(new ConverseCommand(converseInput('after close'))))).toBeUndefined();
  });

  it('shares the namespace rules of the core', () => {
    const { cached } = cachedClient({ namespace: 'tenant-a' });
    expect(cached.keyFor(new ConverseCommand(converseInput()))).toMatch(/^tenant-a:v1:[0-9a-f]{64}$/);
    expect(() => cachedClient({ namespace: 'no spaces' })).toThrow(/namespace/);
  });
});
