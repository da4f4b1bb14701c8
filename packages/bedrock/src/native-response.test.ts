import { describe, expect, it } from 'vitest';
import { summarizeConverseStream } from './converse-response.js';
import { summarizeInvokeBody, summarizeInvokeStream } from './native-response.js';
import type { RecordedEvent } from './recorded-response.js';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const chunks = (...values: unknown[]): RecordedEvent[] =>
  values.map((value, index) => ({ atMs: index, event: { chunk: { bytes: bytes(value) } } }));

describe('reading native answers', () => {
  it('prefers the usage headers of InvokeModel, and falls back to the body', () => {
    const body = bytes({ stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 4 } });
    expect(summarizeInvokeBody(body, 'application/json', {}).usage).toEqual({
      inputTokens: 3,
      outputTokens: 4,
    });
    const headers = {
      'x-amzn-bedrock-input-token-count': '10',
      'x-amzn-bedrock-output-token-count': '20',
      'x-amzn-bedrock-cache-read-input-token-count': '30',
    };
    expect(summarizeInvokeBody(body, 'application/json', headers)).toEqual({
      complete: true,
      stopReason: 'end_turn',
      usage: { inputTokens: 10, outputTokens: 20, cacheReadInputTokens: 30 },
    });
  });

  it('finds the stop reason wherever a model family puts it', () => {
    const stop = (value: unknown) =>
      summarizeInvokeBody(bytes(value), 'application/json', undefined).stopReason;
    expect(stop({ stopReason: 'max_tokens' })).toBe('max_tokens');
    expect(stop({ results: [{ completionReason: 'LENGTH' }] })).toBe('LENGTH');
    expect(stop({ outputs: [{ stop_reason: 'length' }] })).toBe('length');
    expect(stop({ generations: [{ finish_reason: 'COMPLETE' }] })).toBe('COMPLETE');
    expect(stop({ embedding: [0.1, 0.2] })).toBeUndefined();
  });

  it('calls a JSON body that does not parse malformed, and keeps other content types as they are', () => {
    expect(
      summarizeInvokeBody(new TextEncoder().encode('{"trunc'), 'application/json', undefined),
    ).toMatchObject({
      complete: false,
    });
    expect(summarizeInvokeBody(new Uint8Array([0xff, 0xd8]), 'image/jpeg', undefined).complete).toBe(true);
  });

  it('judges native streams by their own end markers, and distrusts other families', () => {
    const claude = chunks(
      { type: 'message_start', message: { usage: { input_tokens: 5, cache_read_input_tokens: 2 } } },
      { type: 'content_block_delta', delta: { text: 'Hi' } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } },
      { type: 'message_stop' },
    );
    expect(summarizeInvokeStream(claude, 'anthropic.claude-3-5-haiku-20241022-v1:0')).toEqual({
      complete: true,
      stopReason: 'end_turn',
      usage: { inputTokens: 5, outputTokens: 7, cacheReadInputTokens: 2 },
    });
    expect(
      summarizeInvokeStream(claude.slice(0, 3), 'us.anthropic.claude-sonnet-4-20250514-v1:0').complete,
    ).toBe(false);
    const nova = chunks(
      { contentBlockDelta: { delta: { text: 'Hi' } } },
      { messageStop: { stopReason: 'end_turn' } },
    );
    expect(summarizeInvokeStream(nova, 'amazon.nova-pro-v1:0')).toMatchObject({
      complete: true,
      stopReason: 'end_turn',
    });
    const titan = chunks(
      { outputText: 'Hi', completionReason: null },
      { outputText: '!', completionReason: 'FINISH' },
    );
    expect(summarizeInvokeStream(titan, 'amazon.titan-text-lite-v1').complete).toBe(true);
    expect(summarizeInvokeStream(titan.slice(0, 1), 'amazon.titan-text-lite-v1').complete).toBe(false);
    const llama = chunks({ generation: 'Hi', stop_reason: 'stop' });
    expect(summarizeInvokeStream(llama, 'meta.llama3-3-70b-instruct-v1:0')).toMatchObject({
      complete: false,
    });
    expect(
      summarizeInvokeStream(
        [{ atMs: 0, event: { chunk: { bytes: new Uint8Array([1]) } } }],
        'amazon.nova-pro-v1:0',
      ),
    ).toMatchObject({ complete: false, problem: 'a chunk is not a JSON object' });
  });

  it('wants a messageStop followed by metadata in a ConverseStream', () => {
    const events = [
      { messageStart: { role: 'assistant' } },
      { messageStop: { stopReason: 'end_turn' } },
      { metadata: { usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } } },
    ].map((event, index) => ({ atMs: index, event }));
    expect(summarizeConverseStream(events)).toEqual({
      complete: true,
      stopReason: 'end_turn',
      usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    });
    expect(summarizeConverseStream(events.slice(0, 2))).toMatchObject({
      complete: false,
      problem: /metadata/,
    });
    expect(summarizeConverseStream(events.slice(0, 1))).toMatchObject({
      complete: false,
      problem: /messageStop/,
    });
  });
});
