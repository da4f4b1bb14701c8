import { decodeFrame } from '@prompt-cache/bedrock-simulator';
import { describe, expect, it } from 'vitest';
import { converseInputFromWire, errorToFrame, eventToFrame, outputToWire } from './bedrock-wire.js';

describe('converseInputFromWire', () => {
  it('decodes base64 media bytes and leaves documents alone', () => {
    const input = converseInputFromWire('amazon.nova-lite-v1:0', {
      messages: [
        {
          role: 'user',
          content: [
            { image: { format: 'png', source: { bytes: Buffer.from('png!').toString('base64') } } },
            { toolUse: { toolUseId: 't1', name: 'lookup', input: { bytes: 'not base64, a document' } } },
          ],
        },
      ],
    });
    const [image, toolUse] = input.messages?.[0]?.content ?? [];
    expect(
      Buffer.from((image as { image: { source: { bytes: Uint8Array } } }).image.source.bytes).toString(),
    ).toBe('png!');
    expect((toolUse as { toolUse: { input: unknown } }).toolUse.input).toEqual({
      bytes: 'not base64, a document',
    });
    expect(input.modelId).toBe('amazon.nova-lite-v1:0');
  });

  it('refuses unknown fields and ill-shaped messages', () => {
    expect(() => converseInputFromWire('m', { messages: [], temperature: 1 })).toThrow(
      /unknown field "temperature"/,
    );
    expect(() => converseInputFromWire('m', { messages: 'hi' })).toThrow(/"messages" must be an array/);
    expect(() =>
      converseInputFromWire('m', { messages: [{ role: 'user', content: [{ text: 1 }] }] }),
    ).toThrow(/text must be a string/);
    expect(() => converseInputFromWire('m', {})).toThrow(/no "messages"/);
  });
});

describe('outputToWire and frames', () => {
  it('turns bytes into base64 and drops $metadata', () => {
    expect(
      outputToWire({
        $metadata: { httpStatusCode: 200 },
        body: new Uint8Array([104, 105]),
        at: new Date(2000),
      }),
    ).toEqual({
      body: 'aGk=',
      at: 2,
    });
  });

  it('frames a stream event under its member name, with the member fields as the body', () => {
    const frame = eventToFrame({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hel' } } });
    expect(decodeFrame(frame!)).toEqual({
      headers: {
        ':message-type': 'event',
        ':event-type': 'contentBlockDelta',
        ':content-type': 'application/json',
      },
      body: { contentBlockIndex: 0, delta: { text: 'Hel' } },
    });
    const chunk = eventToFrame({ chunk: { bytes: new TextEncoder().encode('{"a":1}') } });
    expect(decodeFrame(chunk!).body).toEqual({ bytes: Buffer.from('{"a":1}').toString('base64') });
  });

  it('frames a failure as an exception with a lower-case first letter', () => {
    const error = Object.assign(new Error('boom'), { name: 'ModelStreamErrorException', $fault: 'server' });
    expect(decodeFrame(errorToFrame(error))).toMatchObject({
      headers: { ':message-type': 'exception', ':exception-type': 'modelStreamErrorException' },
      body: { message: 'boom' },
    });
    expect(decodeFrame(errorToFrame(new TypeError('internal'))).headers[':exception-type']).toBe(
      'internalServerException',
    );
  });
});
