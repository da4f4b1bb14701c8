import { describe, expect, it } from 'vitest';
import { decodePrompt, encodePrompt } from './index-storage.js';

describe('saved prompt records', () => {
  it('round-trip a prompt and its vector exactly, as little-endian float32', () => {
    const vector = Float32Array.from([0.1, -2.5, 3e-7, 1]);
    const stored = JSON.parse(JSON.stringify(encodePrompt({ key: 'k', text: 'why?', answer: 'id' }, vector)));
    expect(Buffer.from(stored.v, 'base64').readFloatLE(4)).toBe(-2.5);
    expect(decodePrompt('k', stored)).toEqual({ prompt: { key: 'k', text: 'why?', answer: 'id' }, vector });
  });

  it('refuse what is not a record', () => {
    for (const stored of [
      null,
      'text',
      { t: 'x', a: 'y' },
      { t: 'x', a: 'y', v: Buffer.from([1, 2, 3]).toString('base64') },
    ]) {
      expect(decodePrompt('k', stored)).toBeUndefined();
    }
  });
});
