import { describe, expect, it } from 'vitest';
import { canonicalJson, MAX_KEY_DEPTH } from './canonical-json.js';
import { InvalidTtlError, KeyMaterialTooDeepError } from './errors.js';
import { deriveKey } from './key.js';
import { MAX_TTL_SECONDS, parseTtlSeconds } from './ttl.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = level % 2 ? [value] : { inner: value };
  return value;
}

describe('bounds of key material and TTLs', () => {
  it('refuses key material nested 5,000 levels deep with a typed error, not a stack overflow', () => {
    expect(() => canonicalJson({ toolConfig: nested(5_000) })).toThrow(KeyMaterialTooDeepError);
    expect(() => canonicalJson(nested(5_000))).toThrow(/nested more than 256 levels deep/);
  });

  it('keys material up to the bound', () => {
    expect(canonicalJson(nested(MAX_KEY_DEPTH - 1))).toContain('"leaf"');
    expect(deriveKey({ tools: nested(MAX_KEY_DEPTH - 2) })).toMatch(/:v\d+:/);
    expect(() => deriveKey({ tools: nested(5_000) })).toThrow(KeyMaterialTooDeepError);
  });

  it('refuses a TTL of 1e20 seconds, and keeps 0 and Infinity as no expiry', () => {
    expect(() => parseTtlSeconds(1e20)).toThrow(InvalidTtlError);
    expect(() => parseTtlSeconds('1e20', 'ttlSeconds')).toThrow(
      /ttlSeconds must be at most 315360000 seconds/,
    );
    expect(parseTtlSeconds(MAX_TTL_SECONDS)).toBe(MAX_TTL_SECONDS);
    expect(parseTtlSeconds(0)).toBe(0);
    expect(parseTtlSeconds(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});
