import { Readable } from 'node:stream';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import {
  type BedrockSimulator,
  type BedrockSimulatorOptions,
  createBedrockSimulator,
  type HttpRequest,
  listenHttp1And2,
  type SimulatorCall,
} from '@prompt-cache/bedrock-simulator';
import type { CacheEntry, CacheStore } from '@prompt-cache/core';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type BedrockCacheOptions, withPromptCache } from '../src/with-prompt-cache.js';

/** A real SDK client pointed at a local server: static credentials, no retries, loopback only. */
export function createTestClient(url: string): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

/** One request as it reached the server. */
export interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The simulator (latency 0) behind a thin HTTP/1.1 + HTTP/2 front that keeps every request's bytes, so a test
 * can compare what reached the server with and without the cache.
 */
export async function startSimulator(options: BedrockSimulatorOptions = { latency: 0 }): Promise<{
  simulator: BedrockSimulator;
  url: string;
  requests: CapturedRequest[];
  calls: () => readonly SimulatorCall[];
  /** How many answers the client closed before the server finished them. */
  cancelled: () => number;
  close(): Promise<void>;
}> {
  const simulator = createBedrockSimulator(options);
  const requests: CapturedRequest[] = [];
  let cancelled = 0;
  const listener = await listenHttp1And2(async (request, response) => {
    response.on('close', () => {
      if (!response.writableEnded) cancelled += 1;
    });
    const body = await readAll(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !name.startsWith(':')) headers[name] = value;
    }
    requests.push({ method: request.method ?? '', path: request.url ?? '', headers, body });
    const replayed = Object.assign(Readable.from([body]), {
      method: request.method,
      url: request.url,
      headers: request.headers,
    });
    await simulator.handler(replayed as unknown as HttpRequest, response);
  });
  return {
    simulator,
    url: listener.url,
    requests,
    calls: () => simulator.calls,
    cancelled: () => cancelled,
    close: () => listener.close(),
  };
}

async function readAll(request: HttpRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads a stream to its end. */
export async function collect<Event>(stream: AsyncIterable<Event> | undefined): Promise<Event[]> {
  const events: Event[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

/** The text of a ConverseStream's events. */
export function streamText(events: Array<{ contentBlockDelta?: { delta?: { text?: string } } }>): string {
  return events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
}

/** Decodes InvokeModelWithResponseStream chunks into the model's native JSON objects. */
export function nativeChunks(
  events: Array<{ chunk?: { bytes?: Uint8Array } }>,
): Array<Record<string, unknown>> {
  return events.flatMap((event) =>
    event.chunk?.bytes ? [JSON.parse(Buffer.from(event.chunk.bytes).toString('utf8'))] : [],
  );
}

/** A memory store whose entries a test can count. */
export function countingStore(): CacheStore & { entries(): Promise<number> } {
  const store = createMemoryStore();
  return Object.assign(store, {
    entries: async () => (await store.size?.())?.entries ?? 0,
  });
}

/** A store whose every operation fails, like a Redis that went away. */
export function brokenStore(): CacheStore {
  const fail = async (): Promise<never> => {
    throw new Error('ECONNREFUSED 127.0.0.1:6390');
  };
  return {
    name: 'broken',
    get: fail as (key: string) => Promise<CacheEntry | undefined>,
    set: fail,
    delete: fail,
    clear: fail,
  };
}

export const NOVA = 'amazon.nova-lite-v1:0';
export const CLAUDE = 'anthropic.claude-3-5-haiku-20241022-v1:0';
export const TITAN = 'amazon.titan-text-express-v1';

/** A one-question Converse input. */
export function converseInput(question = 'How does TTL work in Redis?', modelId = NOVA) {
  return { modelId, messages: [{ role: 'user' as const, content: [{ text: question }] }] };
}

/**
 * Starts the simulator for a test file and hands each test real SDK clients with the cache added; the clients
 * are destroyed and the simulator's faults cleared after every test.
 */
export function useCachedClients() {
  let server: Awaited<ReturnType<typeof startSimulator>> | undefined;
  const clients: BedrockRuntimeClient[] = [];
  beforeAll(async () => {
    server = await startSimulator();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
    server?.simulator.clearFaults();
  });
  const running = () => {
    if (!server) throw new Error('the simulator starts in beforeAll; use it inside a test');
    return server;
  };
  /** A client without the cache, destroyed after the test. */
  const plainClient = () => {
    const client = createTestClient(running().url);
    clients.push(client);
    return client;
  };
  const cachedClient = (options: Partial<BedrockCacheOptions> = {}) => {
    const client = plainClient();
    const store = (options.store as ReturnType<typeof countingStore> | undefined) ?? countingStore();
    const cached = withPromptCache(client, { ...options, store });
    return { client, cached, store };
  };
  return {
    get server() {
      return running();
    },
    plainClient,
    cachedClient,
  };
}
