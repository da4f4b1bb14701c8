import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, converseInput, countingStore, startSimulator } from '../test/helpers.js';
import { withCacheControl } from './cache-control.js';
import { cacheInfo } from './cache-info.js';
import { withPromptCache } from './with-prompt-cache.js';

let server: Awaited<ReturnType<typeof startSimulator>>;

beforeAll(async () => {
  server = await startSimulator();
});
afterAll(async () => {
  await server.close();
});

function client(extra: Record<string, unknown> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...extra,
  });
}

describe('client setups users have', () => {
  it('works over HTTP/1.1 (NodeHttpHandler)', async () => {
    const http1 = client({ requestHandler: new NodeHttpHandler() });
    try {
      withPromptCache(http1, { store: countingStore() });
      const input = converseInput('HTTP/1.1 works too');
      await http1.send(new ConverseCommand(input));
      expect(cacheInfo(await http1.send(new ConverseCommand(input)))?.status).toBe('hit');
      const live = await collect((await http1.send(new ConverseStreamCommand(input))).stream);
      expect(await collect((await http1.send(new ConverseStreamCommand(input))).stream)).toEqual(live);
    } finally {
      http1.destroy();
    }
  });

  it('keeps per-call controls apart when the SDK caches its middleware handlers (cacheMiddleware)', async () => {
    const cachedHandlers = client({ cacheMiddleware: true });
    try {
      withPromptCache(cachedHandlers, { store: countingStore() });
      const input = converseInput('handler cache');
      await cachedHandlers.send(new ConverseCommand(input));
      expect(
        cacheInfo(await cachedHandlers.send(withCacheControl(new ConverseCommand(input), { mode: 'bypass' })))
          ?.status,
      ).toBe('bypass');
      expect(cacheInfo(await cachedHandlers.send(new ConverseCommand(input)))?.status).toBe('hit');
    } finally {
      cachedHandlers.destroy();
    }
  });

  it('answers but does not store what the guard flags, or what is larger than maxEntryBytes', async () => {
    const guarded = client();
    try {
      const store = countingStore();
      const cached = withPromptCache(guarded, {
        store,
        guard: (input) => (JSON.stringify(input).includes('@') ? 'an email address' : undefined),
        maxEntryBytes: 200,
      });
      const mail = await guarded.send(new ConverseCommand(converseInput('Mail me at ada@example.com')));
      expect(cacheInfo(mail)).toMatchObject({ stored: false, notStoredReason: 'sensitive' });
      const big = await guarded.send(new ConverseCommand(converseInput('A long answer please')));
      expect(cacheInfo(big)).toMatchObject({ stored: false, notStoredReason: 'oversize' });
      expect(await store.entries()).toBe(0);
      expect(cached.stats.snapshot()).toMatchObject({ skippedSensitive: 1, skippedOversize: 1 });
    } finally {
      guarded.destroy();
    }
  });

  it('lets cacheWhen refuse answers the built-in rules would keep', async () => {
    const picky = client();
    try {
      withPromptCache(picky, {
        store: countingStore(),
        cacheWhen: (response, input) =>
          response.summary.stopReason === 'end_turn' && !JSON.stringify(input).includes('today'),
      });
      const dated = await picky.send(new ConverseCommand(converseInput('What happened today?')));
      expect(cacheInfo(dated)).toMatchObject({
        notStoredReason: 'not-cacheable',
        notStoredDetail: 'cacheWhen returned false',
      });
      const timeless = await picky.send(new ConverseCommand(converseInput('What is a cache?')));
      expect(cacheInfo(timeless)?.stored).toBe(true);
    } finally {
      picky.destroy();
    }
  });
});
