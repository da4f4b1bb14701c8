import { encodeEvent, encodeException } from '@prompt-cache/bedrock-simulator';
import { describe, expect, it } from 'vitest';
import { readConverse, readConverseStream } from './answer-check.js';

const frames = (...events: Array<[string, unknown]>) =>
  Buffer.concat(events.map(([type, body]) => encodeEvent(type, body)));
const whole: Array<[string, unknown]> = [
  ['messageStart', { role: 'assistant' }],
  ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }],
  ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'lo' } }],
  ['contentBlockStop', { contentBlockIndex: 0 }],
  ['messageStop', { stopReason: 'end_turn' }],
  ['metadata', { usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, metrics: { latencyMs: 1 } }],
];

describe('the chaos soak tells a whole answer from a cut one', () => {
  it('reads a whole stream and its text', () => {
    expect(readConverseStream(frames(...whole))).toEqual({ text: 'Hello', complete: true });
  });

  it('calls a stream that ends cleanly after messageStart truncated (the bug of a cancelled shared stream)', () => {
    expect(readConverseStream(frames(whole[0]!))).toMatchObject({ complete: false });
    expect(readConverseStream(frames(...whole.slice(0, 4)))).toMatchObject({ complete: false });
  });

  it('calls a torn last frame truncated, and an exception frame an error', () => {
    const bytes = frames(...whole);
    expect(readConverseStream(bytes.subarray(0, bytes.length - 3))).toMatchObject({
      complete: false,
      problem: 'a torn frame',
    });
    const failed = Buffer.concat([
      frames(whole[0]!),
      encodeException('throttlingException', { message: 'slow down' }),
    ]);
    expect(readConverseStream(failed).problem).toMatch(/Exception/);
  });

  it('reads a Converse answer, and wants a stop reason and text', () => {
    const answer = {
      output: { message: { role: 'assistant', content: [{ text: 'Hi' }] } },
      stopReason: 'end_turn',
    };
    expect(readConverse(Buffer.from(JSON.stringify(answer)))).toEqual({ text: 'Hi', complete: true });
    expect(readConverse(Buffer.from('{"output":{}}')).complete).toBe(false);
    expect(readConverse(Buffer.from('{"outp')).complete).toBe(false);
  });
});
