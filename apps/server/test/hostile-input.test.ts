import { request as http1Request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../src/index.js';
import { requireModelId } from '../src/request-bounds.js';
import { converseBody, startTestGateway, upstreamCalls } from './helpers.js';

const MODEL_PATH = encodeURIComponent('amazon.nova-lite-v1:0');

let gateway: Gateway;
const logged: string[] = [];

beforeAll(async () => {
  gateway = await startTestGateway({ log: (line) => logged.push(line) });
});

afterAll(async () => {
  await gateway?.close();
});

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; message: string }>((resolve, reject) => {
    const url = new URL(gateway.url);
    const outgoing = http1Request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            type: String(response.headers['x-amzn-errortype'] ?? '').split(':')[0] ?? '',
            message: text.startsWith('{') ? String(JSON.parse(text).message) : text,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** JSON text nested `depth` levels deep, written without recursion. */
function nested(depth: number): string {
  let text = '1';
  for (let level = 0; level < depth; level += 1) text = level % 2 ? `[${text}]` : `{"a":${text}}`;
  return text;
}

describe('hostile input is a 400, never a 500, and never reaches the upstream', () => {
  it.each([
    [
      '5,000 levels in additionalModelRequestFields',
      `/model/${MODEL_PATH}/converse`,
      `${JSON.stringify(converseBody('deep')).slice(0, -1)},"additionalModelRequestFields":${nested(5_000)}}`,
      {},
      /nests more than 128 levels/,
    ],
    [
      '5,000 levels in toolConfig (stream)',
      `/model/${MODEL_PATH}/converse-stream`,
      `${JSON.stringify(converseBody('deep')).slice(0, -1)},"toolConfig":${nested(5_000)}}`,
      {},
      /nests more than 128 levels/,
    ],
    [
      '3,000 levels on /v1/ask',
      '/v1/ask',
      `{"request":{"messages":[{"role":"user","content":[{"text":"deep"}]}],"additionalModelRequestFields":${nested(3_000)}}}`,
      {},
      /nests more than 128 levels/,
    ],
    [
      'invalid UTF-8',
      `/model/${MODEL_PATH}/converse`,
      Buffer.concat([
        Buffer.from('{"messages":[{"role":"user","content":[{"text":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}]}]}'),
      ]),
      {},
      /not valid UTF-8/,
    ],
    [
      'a model id that is a path',
      `/model/${encodeURIComponent('../../etc/passwd')}/converse`,
      JSON.stringify(converseBody('where am I?')),
      {},
      /not a Bedrock model id or ARN/,
    ],
    [
      'a model id that is a path (/v1/ask)',
      '/v1/ask',
      JSON.stringify({ prompt: 'where am I?', model: '../../etc/passwd' }),
      {},
      /not a Bedrock model id or ARN/,
    ],
    [
      'a TTL of 1e20 seconds (header)',
      `/model/${MODEL_PATH}/converse`,
      JSON.stringify(converseBody('forever?')),
      { 'x-prompt-cache-ttl': '100000000000000000000' },
      /at most 315360000 seconds/,
    ],
    [
      'a TTL of 1e20 seconds (/v1/ask)',
      '/v1/ask',
      JSON.stringify({ prompt: 'forever?', ttl: 1e20 }),
      {},
      /at most 315360000 seconds/,
    ],
  ])('%s', async (_name, path, body, headers, message) => {
    const calls = await upstreamCalls(gateway);
    const answer = await post(path, body as string | Buffer, headers as Record<string, string>);
    expect(answer).toMatchObject({ status: 400, type: 'ValidationException' });
    expect(answer.message).toMatch(message as RegExp);
    expect(await upstreamCalls(gateway)).toBe(calls);
  });

  it('takes every form of Bedrock model id and ARN', () => {
    for (const id of [
      'amazon.nova-lite-v1:0',
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/a1b2c3d4e5f6',
      'arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:provisioned-model/abcdefghijkl',
    ])
      expect(() => requireModelId(id)).not.toThrow();
    for (const id of ['../../etc/passwd', 'a/../../b', 'amazon..nova', 'arn:aws:s3:::bucket/key', ' spaced'])
      expect(() => requireModelId(id)).toThrow(/not a Bedrock model id or ARN/);
  });
});
