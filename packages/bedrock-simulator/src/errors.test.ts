import {
  type BedrockRuntimeClient,
  ConverseCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient } from '../test/helpers.js';
import { type BedrockSimulator, createBedrockSimulator } from './simulator.js';

describe('errors in Bedrock wire format', () => {
  let simulator: BedrockSimulator;
  let url: string;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    simulator = createBedrockSimulator({ latency: 0 });
    ({ url } = await simulator.listen({ port: 0 }));
    client = createTestClient(url);
  });

  afterAll(async () => {
    client.destroy();
    await simulator.close();
  });

  const post = (path: string, body: string) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers malformed JSON with a 400 ValidationException', async () => {
    const response = await post('/model/amazon.nova-lite-v1%3A0/converse', '{"messages": [');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:http/);
    expect(response.headers.get('x-bedrock-simulator')).toBe('true');
    const body = (await response.json()) as { message: string };
    expect(body.message).toMatch(/^Malformed input request: the request body is not valid JSON/);
  });

  it('answers a body that is not UTF-8 with a 400 ValidationException, never decoding it lossily', async () => {
    const response = await fetch(`${url}/model/amazon.nova-lite-v1%3A0/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string };
    expect(body.message).toMatch(/^Malformed input request: the request body is not valid UTF-8/);
  });

  it('answers a body over its limit with a 400 ValidationException the client receives', async () => {
    const small = createBedrockSimulator({ latency: 0, maxBodyBytes: 1_000 });
    const { url: smallUrl } = await small.listen({ port: 0 });
    try {
      const response = await fetch(`${smallUrl}/model/amazon.nova-lite-v1%3A0/converse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'x'.repeat(200_000) }] }] }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { message: string };
      expect(body.message).toBe("The request body is larger than the simulator's limit of 1000 bytes.");
    } finally {
      await small.close();
    }
  });

  it('makes the SDK throw ValidationException for a request without messages', async () => {
    const error = await client
      .send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [] }))
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain('must start with a user message');
  });

  it('rejects a bad maxTokens, a conversation starting with the assistant and bad content', async () => {
    const cases = [
      { messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 0 } },
      { messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] },
      { messages: [{ role: 'user', content: [] }] },
      { messages: [{ role: 'robot', content: [{ text: 'hi' }] }] },
      { messages: 'hello' },
      [1, 2, 3],
      null,
    ];
    for (const body of cases) {
      const response = await post('/model/amazon.nova-lite-v1%3A0/converse', JSON.stringify(body));
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toMatch(/^ValidationException/);
    }
  });

  it('answers an unknown route with a Bedrock-style 404', async () => {
    const response = await fetch(`${url}/model/amazon.nova-lite-v1%3A0/chat`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^UnknownOperationException/);
    const body = (await response.json()) as { message: string };
    expect(body.message).toContain('/converse-stream');
    expect((await fetch(`${url}/model/x/converse`)).status).toBe(404);
  });

  it('survives garbage: bad URL encoding, an empty body, a non-JSON body', async () => {
    expect((await post('/model/%E0%A4%A/converse', '{}')).status).toBe(400);
    expect((await post('/model/amazon.nova-lite-v1%3A0/invoke', '')).status).toBe(400);
    expect((await post('/model/amazon.titan-embed-text-v2%3A0/invoke', 'hello')).status).toBe(400);
    const health = await fetch(`${url}/_simulator/health`);
    expect(await health.json()).toMatchObject({ simulated: true });
  });
});
