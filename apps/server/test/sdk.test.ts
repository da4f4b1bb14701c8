import {
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../src/index.js';
import { createGatewayClient, startTestGateway, upstreamCalls } from './helpers.js';

const MODEL = 'amazon.nova-lite-v1:0';
const CLAUDE = 'anthropic.claude-3-5-haiku-20241022-v1:0';

let gateway: Gateway;
let sdk: ReturnType<typeof createGatewayClient>;

beforeAll(async () => {
  gateway = await startTestGateway();
  sdk = createGatewayClient(gateway.url);
});

afterAll(async () => {
  sdk?.client.destroy();
  await gateway?.close();
});

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  const text = events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
  return { events, text };
}

describe('the unmodified AWS SDK client (HTTP/2) against the gateway', () => {
  it('Converse: the second identical call is a hit with identical content and no upstream call', async () => {
    const input = {
      modelId: MODEL,
      messages: [
        { role: 'user' as const, content: [{ text: 'How does TTL work in Redis? (sdk converse)' }] },
      ],
    };
    const before = await upstreamCalls(gateway);
    const first = await sdk.client.send(new ConverseCommand(input));
    expect(sdk.seen.last()['x-prompt-cache']).toBe('miss');
    const key = sdk.seen.last()['x-prompt-cache-key'];
    expect(key).toMatch(/^prompt-cache:v1:[0-9a-f]{64}$/);
    const second = await sdk.client.send(new ConverseCommand(input));
    expect(sdk.seen.last()['x-prompt-cache']).toBe('hit');
    expect(sdk.seen.last()['x-prompt-cache-key']).toBe(key);
    expect(await upstreamCalls(gateway)).toBe(before + 1);

    expect(first.output?.message?.content?.[0]?.text).toMatch(/^\[simulated\] /);
    const { $metadata: _a, ...firstBody } = first;
    const { $metadata: _b, ...secondBody } = second;
    expect(secondBody).toEqual(firstBody);
    expect(first.usage?.inputTokens).toBeGreaterThan(0);
  });

  it('ConverseStream: a hit replays the same events', async () => {
    const input = {
      modelId: MODEL,
      messages: [
        { role: 'user' as const, content: [{ text: 'Explain single-flight caching (sdk stream)' }] },
      ],
    };
    const before = await upstreamCalls(gateway);
    const first = await collect((await sdk.client.send(new ConverseStreamCommand(input))).stream);
    expect(sdk.seen.last()['x-prompt-cache']).toBe('miss');
    const second = await collect((await sdk.client.send(new ConverseStreamCommand(input))).stream);
    expect(sdk.seen.last()['x-prompt-cache']).toBe('hit');
    expect(await upstreamCalls(gateway)).toBe(before + 1);
    expect(first.text).toMatch(/^\[simulated\] /);
    expect(second.events).toEqual(first.events);
    expect(first.events.map((event) => Object.keys(event)[0])).toEqual(
      expect.arrayContaining(['messageStart', 'contentBlockDelta', 'messageStop', 'metadata']),
    );
  });

  it('InvokeModel and InvokeModelWithResponseStream are cached too', async () => {
    const body = JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'What is an LRU cache? (sdk invoke)' }],
    });
    const first = await sdk.client.send(
      new InvokeModelCommand({ modelId: CLAUDE, body, contentType: 'application/json' }),
    );
    expect(sdk.seen.last()['x-prompt-cache']).toBe('miss');
    const second = await sdk.client.send(
      new InvokeModelCommand({ modelId: CLAUDE, body, contentType: 'application/json' }),
    );
    expect(sdk.seen.last()['x-prompt-cache']).toBe('hit');
    expect(second.body.transformToString()).toBe(first.body.transformToString());
    expect(second.contentType).toBe(first.contentType);

    const chunks = async () => {
      const output = await sdk.client.send(
        new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body }),
      );
      const decoded: unknown[] = [];
      for await (const event of output.body ?? []) {
        if (event.chunk?.bytes) decoded.push(JSON.parse(Buffer.from(event.chunk.bytes).toString('utf8')));
      }
      return decoded;
    };
    const live = await chunks();
    expect(sdk.seen.last()['x-prompt-cache']).toBe('miss');
    const replayed = await chunks();
    expect(sdk.seen.last()['x-prompt-cache']).toBe('hit');
    expect(replayed).toEqual(live);
    expect(live.length).toBeGreaterThan(2);
  });

  it('per-request controls: bypass reaches the upstream and stores nothing; refresh rewrites', async () => {
    const input = {
      modelId: MODEL,
      messages: [{ role: 'user' as const, content: [{ text: 'What is a cache stampede? (sdk controls)' }] }],
    };
    const command = () => new ConverseCommand(input);
    const withHeader = (name: string, value: string) => {
      const sent = command();
      sent.middlewareStack.add(
        (next) => async (args) => {
          (args.request as { headers: Record<string, string> }).headers[name] = value;
          return next(args);
        },
        { step: 'build', name: 'cacheHeader' },
      );
      return sent;
    };
    const before = await upstreamCalls(gateway);
    await sdk.client.send(withHeader('x-prompt-cache-mode', 'bypass'));
    expect(sdk.seen.last()['x-prompt-cache']).toBe('bypass');
    await sdk.client.send(command());
    expect(sdk.seen.last()['x-prompt-cache']).toBe('miss');
    await sdk.client.send(withHeader('x-prompt-cache-mode', 'refresh'));
    expect(sdk.seen.last()['x-prompt-cache']).toBe('miss');
    await sdk.client.send(command());
    expect(sdk.seen.last()['x-prompt-cache']).toBe('hit');
    expect(await upstreamCalls(gateway)).toBe(before + 3);
  });

  it('an upstream failure is passed through (type and status) and not cached', async () => {
    const input = {
      modelId: MODEL,
      messages: [{ role: 'user' as const, content: [{ text: 'Throttle me (sdk upstream error)' }] }],
    };
    await fetch(`${gateway.upstream.endpoint}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'throttle' }),
    });
    const error = await sdk.client.send(new ConverseCommand(input)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    await sdk.client.send(new ConverseCommand(input));
    expect(sdk.seen.last()['x-prompt-cache']).toBe('miss');
  });

  it('a mid-stream failure reaches the SDK as its exception, and the partial stream is not cached', async () => {
    const input = {
      modelId: MODEL,
      messages: [{ role: 'user' as const, content: [{ text: 'Break my stream (sdk stream error)' }] }],
    };
    await fetch(`${gateway.upstream.endpoint}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'stream-exception', afterEvents: 2 }),
    });
    const output = await sdk.client.send(new ConverseStreamCommand(input));
    const error = await collect(output.stream).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('ModelStreamErrorException');
    await collect((await sdk.client.send(new ConverseStreamCommand(input))).stream);
    expect(sdk.seen.last()['x-prompt-cache']).toBe('miss');
    await collect((await sdk.client.send(new ConverseStreamCommand(input))).stream);
    expect(sdk.seen.last()['x-prompt-cache']).toBe('hit');
  });
});
