import { describe, expect, it } from 'vitest';
import { InvalidTtlError } from './errors.js';
import { expiryFor, parseTtlSeconds } from './ttl.js';

describe('TTL', () => {
  it('accepts seconds, numeric strings, and 0 for no expiry', () => {
    expect(parseTtlSeconds(5)).toBe(5);
    expect(parseTtlSeconds('1800')).toBe(1800);
    expect(expiryFor(0, 1_000)).toBeNull();
    expect(expiryFor(Number.POSITIVE_INFINITY, 1_000)).toBeNull();
    expect(expiryFor(1.5, 1_000)).toBe(2_500);
  });

  it.each([-1, Number.NaN, 'soon', '', null, {}, undefined])('rejects %s with a typed error', (value) => {
    expect(() => parseTtlSeconds(value)).toThrow(InvalidTtlError);
    expect(() => parseTtlSeconds(value)).toThrow(
      /ttl must be a number of seconds >= 0 \(0 means no expiry\)/,
    );
  });
});
