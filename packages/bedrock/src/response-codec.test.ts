import { describe, expect, it } from 'vitest';
import type { RecordedResponse } from './recorded-response.js';
import { createResponseCodec } from './response-codec.js';

describe('the response codec', () => {
  const codec = createResponseCodec();

  it('keeps bytes as bytes, byte for byte, wherever they are', () => {
    const response: RecordedResponse = {
      operation: 'InvokeModelWithResponseStream',
      provider: 'bedrock',
      fields: { contentType: 'application/json' },
      body: new Uint8Array([0, 255, 128]),
      events: [{ atMs: 1.5, event: { chunk: { bytes: new Uint8Array([123, 125]) } } }],
      summary: { complete: true, stopReason: 'end_turn' },
    };
    const decoded = codec.decode(codec.encode(response));
    expect(decoded).toEqual(response);
    expect(decoded.body).toBeInstanceOf(Uint8Array);
    expect((decoded.events?.[0]?.event.chunk as { bytes: Uint8Array }).bytes).toEqual(
      new Uint8Array([123, 125]),
    );
  });

  it('never mistakes an answer of its own for a tag', () => {
    const fields = { '$pc.bytes': 'AAEC', nested: { '$pc.object': { a: 1 } }, list: [{ '$pc.x': true }] };
    const response: RecordedResponse = {
      operation: 'Converse',
      provider: 'p',
      fields,
      summary: { complete: true },
    };
    expect(codec.decode(codec.encode(response))).toEqual(response);
    expect(codec.decode(Buffer.from(codec.encode(response) as string))).toEqual(response);
  });

  it('refuses what is not a recorded answer', () => {
    expect(() => codec.decode('{"hello":"world"}')).toThrow(/not a recorded Bedrock answer/);
  });
});
