import { describe, expect, it } from 'vitest';
import { type JsonBodyProblem, parseJsonBody } from './index.js';

const refuse = (problem: JsonBodyProblem, reason?: string) =>
  new Error(`${problem}${reason ? `: ${reason}` : ''}`);

describe('parseJsonBody', () => {
  it('parses UTF-8 JSON', () => {
    expect(parseJsonBody(Buffer.from('{"text":"déjà"}'), refuse)).toEqual({ text: 'déjà' });
  });

  it('names each problem to the caller, who words the error', () => {
    expect(() => parseJsonBody(Buffer.alloc(0), refuse)).toThrow(/^empty$/);
    expect(() => parseJsonBody(Buffer.from([0x7b, 0xff, 0x7d]), refuse)).toThrow(/^not-utf8$/);
    expect(() => parseJsonBody(Buffer.from('{"a":'), refuse)).toThrow(/^malformed: /);
  });
});
