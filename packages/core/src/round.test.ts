import { describe, expect, it } from 'vitest';
import { isValidNamespace } from './index.js';
import { round } from './store-kit.js';

describe('round', () => {
  it('rounds latencies to the microsecond and USD sums past float drift', () => {
    expect(round(1.23456, 3)).toBe(1.235);
    expect(round(0.1 + 0.2, 12)).toBe(0.3);
    expect(round(0.30000000000000004, 3)).toBe(0.3);
  });
});

describe('isValidNamespace', () => {
  it('accepts 1-64 letters, digits, dots, underscores and dashes, nothing else', () => {
    expect(isValidNamespace('tenant-a.v2_x')).toBe(true);
    expect(isValidNamespace('a'.repeat(64))).toBe(true);
    expect(isValidNamespace('')).toBe(false);
    expect(isValidNamespace('a'.repeat(65))).toBe(false);
    expect(isValidNamespace('a b')).toBe(false);
    expect(isValidNamespace('a/b')).toBe(false);
  });
});
