import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandOutput,
  InvokeModelCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { createMemoryStore } from '@prompt-cache/store-memory';
import type { InitializeHandlerOptions, InitializeMiddleware } from '@smithy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { converseInput, countingStore, startSimulator, TITAN } from '../test/helpers.js';
import { withCacheControl } from './cache-control.js';
import { cacheInfo } from './cache-info.js';
import { withPromptCache } from './with-prompt-cache.js';

let server: Awaited<ReturnType<typeof startSimulator>>;
const clients: BedrockRuntimeClient[] = [];

beforeAll(async () => {
  server = await startSimulator();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  vi.restoreAllMocks();
});

function client(extra: Record<string, unknown> = {}): BedrockRuntimeClient {
  const made = new BedrockRuntimeClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...extra,
  });
  clients.push(made);
  return made;
}

/** How many times the SDK resolved a middleware stack: once per send that goes through it. */
function countResolves(): () => number {
  const converse = vi.spyOn(ConverseCommand.prototype, 'resolveMiddleware');
  const invoke = vi.spyOn(InvokeModelCommand.prototype, 'resolveMiddleware');
  return () => converse.mock.calls.length + invoke.mock.calls.length;
}

/** A middleware of the user's own at the initialize step, counting what it sees. */
function addCountingMiddleware(target: BedrockRuntimeClient | ConverseCommand): { seen: number } {
  const counter = { seen: 0 };
  const stack = target.middlewareStack as unknown as {
    add(middleware: InitializeMiddleware<object, object>, options: InitializeHandlerOptions): void;
  };
  stack.add(
    (next) => async (args) => {
      counter.seen++;
      return next(args);
    },
    { step: 'initialize', name: 'usersOwnMiddleware' },
  );
  return counter;
}

describe('hits answered before the SDK resolves its middleware stack', () => {
  it('answers a Converse hit of a memory store without resolving the stack, exactly as the middleware would', async () => {
    const plain = client();
    const viaStack = client({ cacheMiddleware: true });
    const cached = withPromptCache(plain, { store: createMemoryStore() });
    const input = converseInput('the shortcut answers this');
    const miss = await plain.send(new ConverseCommand(input));
    const upstreamCalls = server.calls().length;
    const resolves = countResolves();
    const hit = await plain.send(new ConverseCommand(input));
    expect(resolves()).toBe(0);
    expect(server.calls()).toHaveLength(upstreamCalls);
    expect(cacheInfo(hit)).toMatchObject({
      status: 'hit',
      operation: 'Converse',
      key: cached.keyFor(new ConverseCommand(input)),
    });
    expect({ ...hit, $metadata: undefined }).toEqual({ ...miss, $metadata: undefined });
    // The same hit through the whole stack (a command with a middleware of its own is never shortcut).
    withPromptCache(viaStack, { store: cached.cache.store });
    const command = new ConverseCommand(input);
    addCountingMiddleware(command);
    const throughStack = await viaStack.send(command);
    expect(resolves()).toBe(1);
    expect(throughStack).toEqual(hit);
    const snapshot = await cached.cache.snapshot('local');
    expect(snapshot).toMatchObject({ hits: 1, misses: 1 });
    // Every hit is a copy of its own.
    const textOf = (output: ConverseCommandOutput) =>
      output.output?.message?.content?.[0] as { text: string };
    textOf(hit).text = 'changed by the caller';
    expect(textOf(await plain.send(new ConverseCommand(input))).text).not.toBe('changed by the caller');
  });

  it('answers InvokeModel hits too, and sends every miss through the stack once', async () => {
    const plain = client();
    withPromptCache(plain, { store: createMemoryStore() });
    const body = JSON.stringify({ inputText: 'invoke through the shortcut' });
    const command = () => new InvokeModelCommand({ modelId: TITAN, body, contentType: 'application/json' });
    const resolves = countResolves();
    const miss = await plain.send(command());
    expect(resolves()).toBe(1);
    const hit = await plain.send(command());
    expect(resolves()).toBe(1);
    expect(cacheInfo(hit)?.status).toBe('hit');
    expect(new TextDecoder().decode(hit.body)).toBe(new TextDecoder().decode(miss.body));
  });

  it("never skips a user's initialize middleware, even one added after the cache", async () => {
    const plain = client();
    const cached = withPromptCache(plain, { store: createMemoryStore() });
    const input = converseInput('my middleware sees every call');
    await plain.send(new ConverseCommand(input));
    const resolves = countResolves();
    await plain.send(new ConverseCommand(input));
    expect(resolves()).toBe(0);
    const mine = addCountingMiddleware(plain);
    expect(cacheInfo(await plain.send(new ConverseCommand(input)))?.status).toBe('hit');
    expect(mine.seen).toBe(1);
    expect(resolves()).toBe(1);
    plain.middlewareStack.remove('usersOwnMiddleware');
    await plain.send(new ConverseCommand(input));
    expect(resolves()).toBe(1);
    expect(await cached.cache.snapshot('local')).toMatchObject({ hits: 3, misses: 1 });
  });

  it('takes no shortcut through a middleware stack swapped in after the cache', async () => {
    const plain = client();
    withPromptCache(plain, { store: createMemoryStore() });
    const input = converseInput('a stack swapped in');
    await plain.send(new ConverseCommand(input));
    const swapped = plain.middlewareStack.clone();
    Object.assign(plain, { middlewareStack: swapped });
    const mine = addCountingMiddleware(plain);
    const resolves = countResolves();
    expect(cacheInfo(await plain.send(new ConverseCommand(input)))?.status).toBe('hit');
    expect(mine.seen).toBe(1);
    expect(resolves()).toBe(1);
  });

  it('lets a configured logger see hits, as the SDK logger middleware does', async () => {
    const info = vi.fn();
    const logged = client({ logger: { debug() {}, info, warn() {}, error() {} } });
    withPromptCache(logged, { store: createMemoryStore() });
    const input = converseInput('a logged hit');
    await logged.send(new ConverseCommand(input));
    await logged.send(new ConverseCommand(input));
    expect(info).toHaveBeenCalledTimes(2);
  });

  it('goes through the stack for callbacks, per-call modes and stores in another process', async () => {
    const plain = client();
    withPromptCache(plain, { store: createMemoryStore() });
    const input = converseInput('not for the shortcut');
    await plain.send(new ConverseCommand(input));
    const resolves = countResolves();
    const viaCallback = await new Promise<unknown>((resolve, reject) =>
      plain.send(new ConverseCommand(input), (error, output) => (error ? reject(error) : resolve(output))),
    );
    expect(cacheInfo(viaCallback as object)?.status).toBe('hit');
    const bypassed = await plain.send(withCacheControl(new ConverseCommand(input), { mode: 'bypass' }));
    expect(cacheInfo(bypassed)?.status).toBe('bypass');
    expect(resolves()).toBe(2);

    const remote = client();
    const store = countingStore();
    Object.defineProperty(store, 'flags', { value: { inProcess: false } });
    withPromptCache(remote, { store });
    await remote.send(new ConverseCommand(input));
    expect(cacheInfo(await remote.send(new ConverseCommand(input)))?.status).toBe('hit');
    expect(resolves()).toBe(4);
  });

  it('puts client.send and the stack back on remove()', async () => {
    const plain = client();
    const { add } = plain.middlewareStack;
    const cached = withPromptCache(plain, { store: createMemoryStore() });
    expect(Object.hasOwn(plain, 'send')).toBe(true);
    cached.remove();
    expect(Object.hasOwn(plain, 'send')).toBe(false);
    expect(plain.middlewareStack.add).toBe(add);
    const input = converseInput('after remove');
    const upstreamCalls = server.calls().length;
    await plain.send(new ConverseCommand(input));
    expect(cacheInfo(await plain.send(new ConverseCommand(input)))).toBeUndefined();
    expect(server.calls()).toHaveLength(upstreamCalls + 2);
  });
});
