import { Readable } from 'node:stream';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { cacheInfo, type RecordedResponse, withPromptCache } from '@prompt-cache/bedrock';
import {
  createBedrockSimulator,
  type DualProtocolListener,
  type HttpRequest,
  listenHttp1And2,
} from '@prompt-cache/bedrock-simulator';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { solution } from '../solution-switch.ts';

const { cacheWhen, askLive } = await solution<typeof import('./exercise.ts')>('07-bedrock', import.meta.url);

// The simulator always answers. To see your rule at work, a thin front in front of it answers a few scripted
// questions itself, in Bedrock's own Converse format, like a model that admits it does not know.
const SCRIPTED: Record<string, string> = {
  'What did the board decide yesterday?': "I don't know. I have no information about yesterday's meeting.",
  'Reply with nothing at all.': '   ',
};

let front: DualProtocolListener;
let modelCalls = 0;
const clients: BedrockRuntimeClient[] = [];

beforeAll(async () => {
  const simulator = createBedrockSimulator({ latency: 0 });
  front = await listenHttp1And2(async (request, response) => {
    const body = await readAll(request);
    if (request.url?.startsWith('/model/')) modelCalls++;
    const question = lastUserText(body);
    const scripted = question === undefined ? undefined : SCRIPTED[question];
    if (scripted !== undefined) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          output: { message: { role: 'assistant', content: [{ text: scripted }] } },
          stopReason: 'end_turn',
          usage: { inputTokens: 12, outputTokens: 14, totalTokens: 26 },
          metrics: { latencyMs: 5 },
        }),
      );
      return;
    }
    const replayed = Object.assign(Readable.from([body]), {
      method: request.method,
      url: request.url,
      headers: request.headers,
    });
    await simulator.handler(replayed as unknown as HttpRequest, response);
  });
});
afterAll(() => front.close());
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

/** A real SDK client pointed at the front, with your cacheWhen rule. */
function cachedClient() {
  const client = new BedrockRuntimeClient({
    endpoint: front.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  clients.push(client);
  withPromptCache(client, { store: createMemoryStore(), cacheWhen });
  return client;
}

const input = (text: string) => ({
  modelId: 'amazon.nova-lite-v1:0',
  messages: [{ role: 'user' as const, content: [{ text }] }],
});

/** Sends the question twice; returns the calls that reached the model and the second call's cache info. */
async function askTwice(client: BedrockRuntimeClient, question: string) {
  const before = modelCalls;
  await client.send(new ConverseCommand(input(question)));
  const second = await client.send(new ConverseCommand(input(question)));
  return { calls: modelCalls - before, second: cacheInfo(second)! };
}

/** A Converse answer as the cache records it, for calling cacheWhen directly. */
const answer = (text: string): RecordedResponse => ({
  operation: 'Converse',
  provider: 'simulator',
  fields: { output: { message: { role: 'assistant', content: [{ text }] } }, stopReason: 'end_turn' },
  summary: { complete: true, stopReason: 'end_turn' },
});

describe('exercise 7: your cacheWhen rule', () => {
  it('keeps ordinary answers: the second ask is a hit and never reaches the model', async () => {
    const { calls, second } = await askTwice(cachedClient(), 'How does TTL work in Redis?');
    expect(calls).toBe(1);
    expect(second.status).toBe('hit');
  });

  it('does not keep an answer that says the model does not know', async () => {
    const { calls, second } = await askTwice(cachedClient(), 'What did the board decide yesterday?');
    expect(calls).toBe(2);
    expect(second).toMatchObject({ status: 'miss', stored: false, notStoredReason: 'not-cacheable' });
  });

  it('does not keep an empty answer', async () => {
    const { calls, second } = await askTwice(cachedClient(), 'Reply with nothing at all.');
    expect(calls).toBe(2);
    expect(second).toMatchObject({ status: 'miss', stored: false });
  });

  it.each([
    ["I don't know.", false],
    ['I DO NOT KNOW the answer to that.', false],
    ['Honestly, I’m not sure which version you mean.', false],
    ['I am not sure.', false],
    ['', false],
    ['The TTL is the time an entry lives. I know this one.', true],
    ['Not knowing the key, the cache misses.', true],
  ])('%j -> cache it: %s', (text, expected) => {
    expect(cacheWhen(answer(text), input('any question'))).toBe(expected);
  });
});

describe('exercise 7: askLive', () => {
  it('reaches the model every time, even for a cached question', async () => {
    const client = cachedClient();
    await client.send(new ConverseCommand(input('What is a cache hit?')));
    const before = modelCalls;
    const first = await askLive(client, input('What is a cache hit?'));
    const second = await askLive(client, input('What is a cache hit?'));
    expect(modelCalls - before).toBe(2);
    expect(cacheInfo(first)?.status).toBe('bypass');
    expect(cacheInfo(second)?.status).toBe('bypass');
    expect(second.output?.message?.content?.[0]?.text).toMatch(/^\[simulated\]/);
  });

  it('does not write the cache either', async () => {
    const client = cachedClient();
    await askLive(client, input('What is a cache miss?'));
    const next = await client.send(new ConverseCommand(input('What is a cache miss?')));
    expect(cacheInfo(next)?.status).toBe('miss');
  });
});

async function readAll(request: HttpRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

function lastUserText(body: Buffer): string | undefined {
  try {
    const { messages } = JSON.parse(body.toString('utf8')) as {
      messages?: Array<{ role?: string; content?: Array<{ text?: string }> }>;
    };
    const last = messages?.filter((message) => message.role === 'user').at(-1);
    return last?.content?.map((block) => block.text ?? '').join('');
  } catch {
    return undefined;
  }
}
