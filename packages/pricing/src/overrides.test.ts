import { describe, expect, it } from 'vitest';
import { PricingError } from './errors.js';
import { validatePriceOverrides } from './overrides.js';

describe('validatePriceOverrides', () => {
  it('returns a clean copy, dropping fields set to null', () => {
    expect(
      validatePriceOverrides({
        'amazon.x': { input: 1, output: 2, cacheRead: null, source: 'contract', asOf: '2026-06' },
        'amazon.y': { input: 0, global: { input: 0.5, cacheWrite: 0.6 } },
      }),
    ).toEqual({
      'amazon.x': { input: 1, output: 2, source: 'contract', asOf: '2026-06' },
      'amazon.y': { input: 0, global: { input: 0.5, cacheWrite: 0.6 } },
    });
  });

  it('keeps a "__proto__" key as a plain row instead of changing the prototype', () => {
    const result = validatePriceOverrides(JSON.parse('{"__proto__": {"input": 1}}'));
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__']);
  });

  it.each([
    [[], 'must be an object of price rows keyed by model id, got an array'],
    [null, 'must be an object of price rows keyed by model id, got null'],
    [
      { 'amazon.x': 3 },
      '"amazon.x" must be an object like { "input": 0.06, "output": 0.24 } (USD per 1M tokens), got 3',
    ],
    [{ 'amazon.x': {} }, '"amazon.x".input is missing; every row needs an input price (USD per 1M tokens)'],
    [{ 'amazon.x': { input: -1 } }, '"amazon.x".input must be a number >= 0 (USD per 1M tokens), got -1'],
    [
      { 'amazon.x': { input: '0.06' } },
      '"amazon.x".input must be a number >= 0 (USD per 1M tokens), got "0.06"',
    ],
    [
      { 'amazon.x': { input: 1, output: Number.NaN } },
      '"amazon.x".output must be a number >= 0 (USD per 1M tokens), got NaN',
    ],
    [
      { 'amazon.x': { input: 1, cachRead: 0.1 } },
      '"amazon.x".cachRead is not a known field; use input, output',
    ],
    [{ 'amazon.x': { input: 1, global: { input: -2 } } }, '"amazon.x".global.input must be a number >= 0'],
    [
      { 'amazon.x': { input: 1, global: { input: 1, source: 'x' } } },
      '"amazon.x".global.source is not a known field',
    ],
    [{ 'amazon.x': { input: 1, global: 'cheap' } }, '"amazon.x".global must be an object of prices'],
    [{ 'amazon.x': { input: 1, asOf: 202606 } }, '"amazon.x".asOf must be a string, got 202606'],
    [{ ' amazon.x': { input: 1 } }, 'model id " amazon.x" must be a non-empty id without whitespace'],
  ])('rejects %j with a one-line message naming the field', (value, message) => {
    const validate = () =>
      validatePriceOverrides(value, { label: 'prices.json', code: 'INVALID_PRICE_FILE' });
    expect(validate).toThrow(PricingError);
    expect(validate).toThrow(`[pricing] prices.json: ${message}`);
    try {
      validate();
    } catch (error) {
      expect((error as PricingError).code).toBe('INVALID_PRICE_FILE');
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reports option errors as INVALID_OPTION by default', () => {
    try {
      validatePriceOverrides({ 'amazon.x': { input: -1 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PricingError);
      expect((error as PricingError).code).toBe('INVALID_OPTION');
      expect((error as Error).message).toMatch(/^\[pricing\] overrides: /);
    }
  });
});
