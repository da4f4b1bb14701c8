import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyDeriver, deriveKey, explainKey } from './key.js';

/** Rebuilds an object with its keys in a random order, recursively. */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, random));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(() => random() - 0.5);
  return Object.fromEntries(entries.map(([key, item]) => [key, shuffleKeys(item, random)]));
}

const request = fc.record({
  modelId: fc.string(),
  messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant'), text: fc.string() })),
  inferenceConfig: fc.record({ temperature: fc.double({ noNaN: true }), maxTokens: fc.nat() }),
  extra: fc.dictionary(fc.string(), fc.jsonValue()),
});

describe('keys', () => {
  it('has the shape <namespace>:v<version>:<sha256 hex>', () => {
    expect(deriveKey({ prompt: 'hi' })).toMatch(/^default:v1:[0-9a-f]{64}$/);
    expect(deriveKey({ prompt: 'hi' }, { namespace: 'team-a', version: 3 })).toMatch(
      /^team-a:v3:[0-9a-f]{64}$/,
    );
  });

  it('does not depend on the order of object keys (property)', () => {
    fc.assert(
      fc.property(request, fc.integer(), (value, seed) => {
        let state = seed;
        const random = () => {
          state = (state * 1103515245 + 12345) % 2 ** 31;
          return (state / 2 ** 31 + 1) % 1;
        };
        expect(deriveKey(shuffleKeys(value, random))).toBe(deriveKey(value));
      }),
    );
  });

  it('changes when any included field changes (property)', () => {
    fc.assert(
      fc.property(request, fc.string(), (value, text) => {
        const changed = { ...value, messages: [...value.messages, { role: 'user' as const, text }] };
        expect(deriveKey(changed)).not.toBe(deriveKey(value));
        const temperature = value.inferenceConfig.temperature + 1;
        fc.pre(temperature !== value.inferenceConfig.temperature);
        expect(deriveKey({ ...value, inferenceConfig: { ...value.inferenceConfig, temperature } })).not.toBe(
          deriveKey(value),
        );
      }),
    );
  });

  it('leaves request metadata out by default', () => {
    const base = { prompt: 'hi' };
    expect(deriveKey({ ...base, requestMetadata: { user: 'u1' } })).toBe(deriveKey(base));
    expect(explainKey({ ...base, requestMetadata: { user: 'u1' } }).excluded).toEqual(['requestMetadata']);
  });

  it('takes a custom field selection', () => {
    const select = (value: { prompt: string; traceId: string }) => ({ prompt: value.prompt });
    expect(deriveKey({ prompt: 'a', traceId: '1' }, { select })).toBe(
      deriveKey({ prompt: 'a', traceId: '2' }, { select }),
    );
  });

  it('normalizes prompt text only when asked', () => {
    const a = { prompt: '  What is   Milvus? ' };
    const b = { prompt: 'what is milvus?' };
    expect(deriveKey(a)).not.toBe(deriveKey(b));
    expect(deriveKey(a, { normalize: true })).toBe(deriveKey(b, { normalize: true }));
    const loose = { normalize: { stripQuotes: true, stripTrailingPunctuation: true } };
    expect(deriveKey({ prompt: '"What is Milvus?"?' }, loose)).toBe(
      deriveKey({ prompt: 'what is milvus' }, loose),
    );
  });

  it('normalizes only the named fields when fields are given', () => {
    const options = { normalize: { fields: ['text'] } };
    expect(deriveKey({ model: 'A', text: 'Hi' }, options)).toBe(
      deriveKey({ model: 'A', text: 'hi' }, options),
    );
    expect(deriveKey({ model: 'A', text: 'Hi' }, options)).not.toBe(
      deriveKey({ model: 'a', text: 'hi' }, options),
    );
  });

  it('uses HMAC-SHA-256 with a secret, so keys cannot be computed without it', () => {
    const plain = deriveKey({ prompt: 'hi' });
    const keyed = deriveKey({ prompt: 'hi' }, { secret: 's3cret' });
    expect(keyed).not.toBe(plain);
    expect(deriveKey({ prompt: 'hi' }, { secret: 'other' })).not.toBe(keyed);
    expect(explainKey({ prompt: 'hi' }, { secret: 's3cret' }).algorithm).toBe('hmac-sha256');
  });

  it('with a secret, hashes each namespace with a key of its own, so tenants cannot be correlated', () => {
    const hashIn = (namespace: string, secret?: string) =>
      deriveKey({ prompt: 'hi' }, { namespace, ...(secret === undefined ? {} : { secret }) })
        .split(':')
        .at(-1);
    expect(hashIn('tenant-a')).toBe(hashIn('tenant-b')); // plain SHA-256: the same in every namespace
    expect(hashIn('tenant-a', 's3cret')).not.toBe(hashIn('tenant-b', 's3cret'));
    expect(hashIn('tenant-a', 's3cret')).toBe(hashIn('tenant-a', 's3cret'));
  });

  it('explains the canonical material', () => {
    const explanation = explainKey({ b: 1, a: 'x' }, { namespace: 'demo' });
    expect(explanation).toMatchObject({
      namespace: 'demo',
      version: 1,
      algorithm: 'sha256',
      material: '{"a":"x","b":1}',
    });
    expect(explanation.key).toBe(createKeyDeriver({ namespace: 'demo' }).keyFor({ a: 'x', b: 1 }));
  });

  it('rejects a namespace that could leak into another', () => {
    expect(() => createKeyDeriver({ namespace: 'a:b' })).toThrow(/namespace "a:b" is invalid/);
    expect(() => createKeyDeriver({ namespace: '' })).toThrow(/invalid/);
  });
});
