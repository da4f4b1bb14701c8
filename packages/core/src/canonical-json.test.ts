import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys and drops undefined, functions and symbols', () => {
    expect(canonicalJson({ b: 1, a: [true, null], c: undefined, d: () => 1, e: Symbol('x') })).toBe(
      '{"a":[true,null],"b":1}',
    );
  });

  it('writes numbers canonically and keeps NaN and Infinity apart from null', () => {
    expect(canonicalJson([1.0, -0, 1e21, 0.1, 2n])).toBe('[1,0,1e+21,0.1,2n]');
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY, null])).toBe('[NaN,Infinity,null]');
  });

  it('hashes bytes instead of stringifying them, whatever view holds them', () => {
    const bytes = Uint8Array.from([1, 2, 3]);
    const text = canonicalJson({ image: bytes });
    expect(text).toMatch(/^\{"image":#bytes\(3,[0-9a-f]{64}\)\}$/);
    expect(canonicalJson({ image: Buffer.from([1, 2, 3]) })).toBe(text);
    expect(canonicalJson({ image: bytes.buffer })).toBe(text);
    expect(canonicalJson({ image: Uint8Array.from([1, 2, 4]) })).not.toBe(text);
  });

  it('uses toJSON, and orders Maps and Sets', () => {
    expect(canonicalJson({ when: new Date(0) })).toBe('{"when":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson(new Set([2, 1]))).toBe(canonicalJson(new Set([1, 2])));
    expect(
      canonicalJson(
        new Map([
          ['b', 1],
          ['a', 2],
        ]),
      ),
    ).toBe(
      canonicalJson(
        new Map([
          ['a', 2],
          ['b', 1],
        ]),
      ),
    );
  });

  it('refuses circular material with a clear error', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/circular/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });

  it('agrees with JSON.stringify on plain JSON after a round trip (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(text);
      }),
    );
  });

  it('writes strings and orders keys exactly as JSON.stringify and the built-in sort would (property)', () => {
    // A reference built from the built-ins alone (integer-like keys rule out a sorted copy + stringify).
    const reference = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      if (value === null || typeof value !== 'object') return JSON.stringify(value);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${reference(record[key])}`).join(',')}}`;
    };
    // Any UTF-16 code unit, lone surrogates, controls, quotes and backslashes among them.
    const codeUnit = fc
      .oneof(fc.nat(0xffff), fc.integer({ min: 0xd800, max: 0xdfff }), fc.nat(0x7f))
      .map((unit) => String.fromCharCode(unit));
    const text = fc.oneof(fc.string({ unit: codeUnit }), fc.string({ unit: 'grapheme' }));
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3 }),
        fc.dictionary(text, fc.oneof(text, fc.integer()), { maxKeys: 40 }),
        (value, wide) => {
          expect(canonicalJson(value)).toBe(reference(value));
          expect(canonicalJson(wide)).toBe(reference(wide));
        },
      ),
    );
  });
});
