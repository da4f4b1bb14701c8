import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converseInput, startSimulator } from '../test/helpers.js';
import { cacheInfo } from './cache-info.js';
import { withPromptCache } from './with-prompt-cache.js';

let server: Awaited<ReturnType<typeof startSimulator>>;

beforeAll(async () => {
  server = await startSimulator();
});
afterAll(async () => {
  await server.close();
});

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function simulatorClient(): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

describe('the upstream that answered is part of the key', () => {
  it('never serves a simulated answer to a client that names Bedrock as its upstream', async () => {
    const store = createMemoryStore();
    const simulated = simulatorClient();
    // Stands in for real Bedrock (no AWS here): the same local endpoint, declared as Bedrock.
    const declaredBedrock = simulatorClient();
    try {
      withPromptCache(simulated, { store, provider: 'simulator' });
      withPromptCache(declaredBedrock, { store, provider: 'bedrock' });
      const input = converseInput('which upstream answered?');
      await simulated.send(new ConverseCommand(input));
      expect(cacheInfo(await simulated.send(new ConverseCommand(input)))?.status).toBe('hit');
      expect(cacheInfo(await declaredBedrock.send(new ConverseCommand(input)))?.status).toBe('miss');
    } finally {
      simulated.destroy();
      declaredBedrock.destroy();
    }
  });

  it('keys a client on a custom endpoint apart from one on Bedrock by default', () => {
    const store = createMemoryStore();
    const custom = simulatorClient();
    const bedrock = new BedrockRuntimeClient({ region: 'us-east-1', credentials });
    try {
      const onCustom = withPromptCache(custom, { store });
      const onBedrock = withPromptCache(bedrock, { store });
      const input = converseInput('same request, two upstreams');
      expect(onCustom.keyFor(input)).not.toBe(onBedrock.keyFor(input));
      expect(onCustom.explain(input).material).toContain('"upstream":"custom-endpoint"');
      expect(onBedrock.explain(input).material).toContain('"upstream":"bedrock"');
    } finally {
      custom.destroy();
      bedrock.destroy();
    }
  });
});
