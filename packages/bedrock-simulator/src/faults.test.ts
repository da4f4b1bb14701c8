import {
  type BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InternalServerException,
  InvokeModelWithResponseStreamCommand,
  ModelStreamErrorException,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectConverseStream, collectInvokeStream, createTestClient } from '../test/helpers.js';
import { createFaultQueue, validateFault } from './faults.js';
import { type BedrockSimulator, createBedrockSimulator } from './simulator.js';

const input = {
  modelId: 'amazon.nova-micro-v1:0',
  messages: [{ role: 'user' as const, content: [{ text: 'What is a cache?' }] }],
};

describe('fault queue', () => {
  it('applies a fault the given number of times, first match first', () => {
    const queue = createFaultQueue();
    queue.add({ kind: 'throttle' }, { times: 2 });
    queue.add({ kind: 'server-error' });
    expect(queue.take({ streaming: false })?.kind).toBe('throttle');
    expect(queue.take({ streaming: false })?.kind).toBe('throttle');
    expect(queue.take({ streaming: false })?.kind).toBe('server-error');
    expect(queue.take({ streaming: false })).toBeUndefined();
  });

  it('keeps stream-exception faults for streaming calls', () => {
    const queue = createFaultQueue();
    queue.add({ kind: 'stream-exception' });
    expect(queue.take({ streaming: false })).toBeUndefined();
    expect(queue.take({ streaming: true })?.kind).toBe('stream-exception');
  });

  it('applies Infinity-times faults until cleared', () => {
    const queue = createFaultQueue();
    queue.add({ kind: 'slow', delayMs: 1 }, { times: Number.POSITIVE_INFINITY });
    for (let index = 0; index < 5; index += 1) expect(queue.take({ streaming: false })?.kind).toBe('slow');
    expect(queue.clear()).toBe(1);
    expect(queue.pending()).toEqual([]);
  });

  it('rejects malformed faults with a clear message', () => {
    expect(() => validateFault({ kind: 'explode' })).toThrow(
      /fault kind must be one of throttle, server-error/,
    );
    expect(() => validateFault({ kind: 'slow', delayMs: -1 })).toThrow(/delayMs must be a number >= 0/);
    expect(() => validateFault({ kind: 'throttle', times: 0 })).toThrow(/times must be a whole number >= 1/);
    expect(validateFault({ kind: 'throttle', times: 'always' }).times).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('injected faults, seen through the real AWS SDK', () => {
  let simulator: BedrockSimulator;
  let url: string;
  let client: BedrockRuntimeClient;
  const slept: number[] = [];

  beforeAll(async () => {
    simulator = createBedrockSimulator({
      latency: 0,
      sleep: async (milliseconds) => {
        slept.push(milliseconds);
      },
    });
    ({ url } = await simulator.listen({ port: 0 }));
    client = createTestClient(url);
  });

  afterAll(async () => {
    client.destroy();
    await simulator.close();
  });

  /** The next call is answered normally: a real answer, recorded without a fault. */
  async function expectUnfaultedAnswer(): Promise<void> {
    const output = await client.send(new ConverseCommand(input));
    expect(output.$metadata.httpStatusCode).toBe(200);
    expect(output.output?.message?.content?.[0]?.text).toMatch(/^\[simulated\] \S/);
    expect(simulator.calls.at(-1)?.fault).toBeUndefined();
  }

  afterEach(() => {
    simulator.clearFaults();
    simulator.clearCalls();
  });

  it('throttle: the SDK throws ThrottlingException (429), once', async () => {
    simulator.injectFault({ kind: 'throttle' });
    const error = await client.send(new ConverseCommand(input)).catch((caught) => caught);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(error.message).toContain('injected throttle fault');
    await expectUnfaultedAnswer();
    expect(simulator.calls.map((call) => call.fault)).toEqual(['throttle', undefined]);
  });

  it('server-error: the SDK throws InternalServerException (500)', async () => {
    simulator.injectFault({ kind: 'server-error', message: 'boom' }, { times: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await client.send(new ConverseStreamCommand(input)).catch((caught) => caught);
      expect(error).toBeInstanceOf(InternalServerException);
      expect(error.message).toBe('boom');
    }
    await expectUnfaultedAnswer();
  });

  it('stream-exception: send() resolves, then iterating the stream throws ModelStreamErrorException', async () => {
    simulator.injectFault({ kind: 'stream-exception', afterEvents: 3 });
    // A non-streaming call does not use up the stream fault.
    await client.send(new ConverseCommand(input));
    const response = await client.send(new ConverseStreamCommand(input));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of response.stream ?? []) seen.push(Object.keys(event)[0] ?? '?');
    })().catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelStreamErrorException);
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe('messageStart');
  });

  it('stream-exception with throttlingException also interrupts InvokeModelWithResponseStream', async () => {
    simulator.injectFault({ kind: 'stream-exception', exceptionType: 'throttlingException', afterEvents: 1 });
    const response = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        body: new TextEncoder().encode(
          JSON.stringify({
            anthropic_version: 'bedrock-2023-05-31',
            max_tokens: 100,
            messages: [{ role: 'user', content: 'hi' }],
          }),
        ),
      }),
    );
    await expect(collectInvokeStream(response.body)).rejects.toBeInstanceOf(ThrottlingException);
  });

  it('slow: waits delayMs (through the injected sleep) and then answers', async () => {
    slept.length = 0;
    simulator.injectFault({ kind: 'slow', delayMs: 1234 });
    const response = await client.send(new ConverseStreamCommand(input));
    const { text } = await collectConverseStream(response.stream);
    expect(text).toMatch(/^\[simulated\] /);
    expect(slept).toEqual([1234]);
  });

  it('can be injected and cleared over HTTP by another process', async () => {
    const post = await fetch(`${url}/_simulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'throttle', times: 'always' }),
    });
    expect(post.status).toBe(201);
    expect(await post.json()).toEqual({ faults: [{ kind: 'throttle', remaining: 'always' }] });
    await expect(client.send(new ConverseCommand(input))).rejects.toBeInstanceOf(ThrottlingException);
    await expect(client.send(new ConverseCommand(input))).rejects.toBeInstanceOf(ThrottlingException);

    const calls = (await (await fetch(`${url}/_simulator/calls`)).json()) as {
      count: number;
      calls: unknown[];
    };
    expect(calls.count).toBe(2);
    expect(calls.calls[0]).toMatchObject({
      operation: 'Converse',
      modelId: input.modelId,
      fault: 'throttle',
    });

    const cleared = await fetch(`${url}/_simulator/faults`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ cleared: 1 });
    await expectUnfaultedAnswer();

    const bad = await fetch(`${url}/_simulator/faults`, { method: 'POST', body: '{"kind":"nope"}' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
  });
});
