import { request as http1Request } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { connect as netConnect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../src/index.js';
import { converseBody, startTestGateway, upstreamCalls } from './helpers.js';

const MODEL_PATH = encodeURIComponent('amazon.nova-lite-v1:0');
const LIMIT = 4096;

let gateway: Gateway;

beforeAll(async () => {
  gateway = await startTestGateway({ maxBodyBytes: LIMIT });
});

afterAll(async () => {
  await gateway?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP/1.1 request (any method, any path, any body), so nothing is normalized on the way. */
function raw(
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(gateway.url);
    const outgoing = http1Request(
      { host: url.hostname, port: url.port, method, path, headers: { ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function errorType(answer: Answer): string {
  return String(answer.headers['x-amzn-errortype'] ?? '').split(':')[0]!;
}

async function entryCount(): Promise<number> {
  const body = (await (await fetch(`${gateway.url}/v1/entries?limit=1000`)).json()) as { entries: unknown[] };
  return body.entries.length;
}

async function stillServing(): Promise<void> {
  const health = await fetch(`${gateway.url}/healthz`);
  expect(health.status).toBe(200);
  const answer = await fetch(`${gateway.url}/model/${MODEL_PATH}/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(converseBody('Still there? (bad input)')),
  });
  expect(answer.status).toBe(200);
}

describe('bad input gets a Bedrock-style 4xx and is never cached', () => {
  it.each([
    [
      'malformed JSON (Converse)',
      'POST',
      `/model/${MODEL_PATH}/converse`,
      '{"messages": [',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'malformed JSON (ask)',
      'POST',
      '/v1/ask',
      '{prompt: hi}',
      'application/json',
      400,
      'ValidationException',
    ],
    ['an empty body', 'POST', '/v1/ask', '', 'application/json', 400, 'ValidationException'],
    ['a JSON array', 'POST', '/v1/ask', '[1,2]', 'application/json', 400, 'ValidationException'],
    [
      'no prompt',
      'POST',
      '/v1/ask',
      '{"model":"amazon.nova-lite-v1:0"}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'prompt and request',
      'POST',
      '/v1/ask',
      '{"prompt":"a","request":{}}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'an empty prompt',
      'POST',
      '/v1/ask',
      '{"prompt":"   "}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'a prompt that is not text',
      'POST',
      '/v1/ask',
      '{"prompt":42}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'an unknown field',
      'POST',
      '/v1/ask',
      '{"prompt":"a","temperature":2}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'a bad cache mode',
      'POST',
      '/v1/ask',
      '{"prompt":"a","cacheMode":"sometimes"}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'a bad ttl',
      'POST',
      '/v1/ask',
      '{"prompt":"a","ttl":"-5"}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'a bad namespace',
      'POST',
      '/v1/ask',
      '{"prompt":"a","namespace":"no spaces"}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'no messages',
      'POST',
      `/model/${MODEL_PATH}/converse`,
      '{"inferenceConfig":{}}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'messages of the wrong shape',
      'POST',
      `/model/${MODEL_PATH}/converse`,
      '{"messages":[{"content":"hi"}]}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'a content block of the wrong kind',
      'POST',
      `/model/${MODEL_PATH}/converse-stream`,
      '{"messages":[{"role":"user","content":[{"text":5}]}]}',
      'application/json',
      400,
      'ValidationException',
    ],
    [
      'a wrong content type',
      'POST',
      '/v1/ask',
      'prompt=hi',
      'application/x-www-form-urlencoded',
      415,
      'ValidationException',
    ],
    [
      'a wrong content type (Converse)',
      'POST',
      `/model/${MODEL_PATH}/converse`,
      'hello',
      'text/plain',
      415,
      'ValidationException',
    ],
    ['an unknown route', 'GET', '/v2/everything', undefined, undefined, 404, 'UnknownOperationException'],
    [
      'an unknown operation',
      'POST',
      `/model/${MODEL_PATH}/summarize`,
      '{}',
      'application/json',
      404,
      'UnknownOperationException',
    ],
    [
      'a wrong method',
      'GET',
      `/model/${MODEL_PATH}/converse`,
      undefined,
      undefined,
      405,
      'UnknownOperationException',
    ],
    [
      'a bad model id encoding',
      'POST',
      '/model/%E0%A4%A/converse',
      '{}',
      'application/json',
      400,
      'ValidationException',
    ],
    ['a bad page size', 'GET', '/v1/entries?limit=0', undefined, undefined, 400, 'ValidationException'],
  ])('%s', async (_name, method, path, body, contentType, status, type) => {
    const before = await entryCount();
    const calls = await upstreamCalls(gateway);
    const answer = await raw(method, path, body, contentType ? { 'content-type': contentType } : {});
    expect(answer.status).toBe(status);
    expect(errorType(answer)).toBe(type);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({ message: expect.stringMatching(/^\[server\] |^\[app-kit\] /) });
    expect(await entryCount()).toBe(before);
    expect(await upstreamCalls(gateway)).toBe(calls);
  });

  it('bad cache-control headers are refused before the upstream is called', async () => {
    const calls = await upstreamCalls(gateway);
    const bad: Array<Record<string, string>> = [
      { 'x-prompt-cache-mode': 'always' },
      { 'x-prompt-cache-ttl': 'forever' },
    ];
    for (const headers of bad) {
      const answer = await raw('POST', `/model/${MODEL_PATH}/converse`, JSON.stringify(converseBody('x')), {
        'content-type': 'application/json',
        ...headers,
      });
      expect(answer.status).toBe(400);
      expect(errorType(answer)).toBe('ValidationException');
      expect(answer.headers['x-prompt-cache']).toBe('bypass');
      expect(answer.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(await upstreamCalls(gateway)).toBe(calls);
  });

  it('a body over the limit is a 413, and the connection stays usable', async () => {
    const big = JSON.stringify({ prompt: 'x'.repeat(LIMIT * 2) });
    const answer = await raw('POST', '/v1/ask', big, { 'content-type': 'application/json' });
    expect(answer.status).toBe(413);
    expect(errorType(answer)).toBe('ValidationException');
    expect(JSON.parse(answer.body).message).toContain(`limit is ${LIMIT} bytes`);
    const viaFetch = await fetch(`${gateway.url}/model/${MODEL_PATH}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(converseBody('y'.repeat(LIMIT * 3))),
    });
    expect(viaFetch.status).toBe(413);
    await stillServing();
  });

  it('a content-length far over the limit is refused at once and the connection closed', async () => {
    const url = new URL(gateway.url);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = netConnect(Number(url.port), url.hostname, () => {
        socket.write(
          'POST /v1/ask HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 999999999\r\n\r\n{"prompt":',
        );
      });
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('utf8');
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text.toLowerCase()).toContain('connection: close');
    await stillServing();
  });

  it('garbage on the socket does not hurt the server (HTTP/1 and an HTTP/2 preface)', async () => {
    const url = new URL(gateway.url);
    for (const bytes of [
      'GARBAGE\r\n\r\n',
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000\u0004garbage',
      '\u0000\u0001\u0002',
    ]) {
      await new Promise<void>((resolve) => {
        const socket = netConnect(Number(url.port), url.hostname, () => {
          socket.end(bytes);
        });
        socket.on('data', () => undefined);
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 2000).unref();
      });
    }
    await stillServing();
  });

  it('errors count in /v1/stats; the server keeps serving', async () => {
    // Its own bad requests, counted as a difference: the other tests may run before or after it (shuffled).
    const errors = async () =>
      ((await (await fetch(`${gateway.url}/v1/stats`)).json()) as { errors: number }).errors;
    const before = await errors();
    for (let index = 0; index < 3; index++) {
      const answer = await raw('POST', `/model/${MODEL_PATH}/converse`, '{"messages": [', {
        'content-type': 'application/json',
      });
      expect(answer.status).toBe(400);
    }
    expect((await errors()) - before).toBe(3);
    await stillServing();
  });
});

describe('fuzzing malformed requests (fast-check)', () => {
  const paths = [
    '/v1/ask',
    `/model/${MODEL_PATH}/converse`,
    `/model/${MODEL_PATH}/converse-stream`,
    `/model/${MODEL_PATH}/invoke`,
    `/model/${MODEL_PATH}/invoke-with-response-stream`,
  ];
  const notJson = fc
    .string({ maxLength: 200 })
    .filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    })
    .filter((text) => text.length > 0);
  const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
  const segment = fc.stringMatching(/^[A-Za-z0-9._~%:-]{0,20}$/);
  const contentTypes = fc.constantFrom(
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    '',
    'application/json; charset=utf-8',
    '*/*',
  );

  it('malformed JSON bodies to the JSON routes: always a 400', async () => {
    const calls = await upstreamCalls(gateway);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths.slice(0, 3)), notJson, async (path, body) => {
        const answer = await raw('POST', path, body, { 'content-type': 'application/json' });
        expect(answer.status).toBe(400);
        expect(errorType(answer)).toBe('ValidationException');
      }),
      { numRuns: 150 },
    );
    expect(await upstreamCalls(gateway)).toBe(calls);
  });

  it('unknown paths with any method: always a 404 or 405', async () => {
    await fc.assert(
      fc.asyncProperty(
        methods,
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        async (method, segments) => {
          const path = `/x-${segments.join('/')}`;
          const answer = await raw(method, path);
          expect([404, 405]).toContain(answer.status);
          expect(errorType(answer)).toBe('UnknownOperationException');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('JSON of any shape, any content type, any cache header: never a 5xx (HTTP/1.1)', async () => {
    const shapes = fc.oneof(
      fc.jsonValue(),
      fc.record({ messages: fc.jsonValue() }),
      fc.record({
        messages: fc.array(fc.record({ role: fc.jsonValue(), content: fc.jsonValue() }), { maxLength: 3 }),
      }),
      fc.record(
        { prompt: fc.jsonValue(), model: fc.jsonValue(), ttl: fc.jsonValue(), cacheMode: fc.jsonValue() },
        { requiredKeys: [] },
      ),
      fc.record({ request: fc.jsonValue(), namespace: fc.jsonValue() }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        shapes,
        contentTypes,
        fc.option(fc.string({ maxLength: 12 }).filter((text) => /^[\x20-\x7e]*$/.test(text))),
        async (path, body, contentType, mode) => {
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (mode !== null) headers['x-prompt-cache-mode'] = mode;
          const answer = await raw('POST', path, JSON.stringify(body), headers);
          expect(answer.status).toBeLessThan(500);
          if (answer.status >= 400) expect(JSON.parse(answer.body)).toEqual({ message: expect.any(String) });
        },
      ),
      { numRuns: 200 },
    );
    await stillServing();
  });

  it('malformed bodies over HTTP/2 (the SDK protocol): never a 5xx', async () => {
    const session = http2Connect(gateway.url);
    session.on('error', () => undefined);
    const send = (path: string, body: string) =>
      new Promise<number>((resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': path,
          'content-type': 'application/json',
        });
        stream.on('response', (headers) => resolve(Number(headers[':status'])));
        stream.on('error', reject);
        stream.resume();
        stream.end(body);
      });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...paths),
          fc.oneof(
            notJson,
            fc.jsonValue().map((value) => JSON.stringify(value)),
          ),
          async (path, body) => {
            const status = await send(path, body);
            expect(status).toBeGreaterThanOrEqual(200);
            expect(status).toBeLessThan(500);
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      session.close();
    }
    await stillServing();
  });
});
