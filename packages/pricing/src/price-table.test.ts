import { describe, expect, it } from 'vitest';
import { BEDROCK_PRICES, PRICES_AS_OF, PRICES_SOURCE } from './price-table.js';

describe('BEDROCK_PRICES', () => {
  it('carries a source and date on every row', () => {
    for (const row of Object.values(BEDROCK_PRICES)) {
      expect(row.source).toBe(PRICES_SOURCE);
      expect(row.asOf).toBe(PRICES_AS_OF);
    }
    expect(PRICES_SOURCE).toBe('AWS Bedrock pricing page, us-east-1');
    expect(PRICES_AS_OF).toBe('2026-06');
  });

  it('holds the published prices per 1M tokens', () => {
    expect(BEDROCK_PRICES['amazon.nova-lite-v1:0']).toMatchObject({
      input: 0.06,
      output: 0.24,
      cacheRead: 0.015,
    });
    expect(BEDROCK_PRICES['amazon.nova-lite-v1:0']?.cacheWrite).toBeUndefined();
    expect(BEDROCK_PRICES['anthropic.claude-opus-4-20250514-v1:0']).toMatchObject({
      input: 15,
      output: 75,
      cacheRead: 1.5,
      cacheWrite: 18.75,
    });
    expect(BEDROCK_PRICES['anthropic.claude-sonnet-4-5-20250929-v1:0']).toMatchObject({
      input: 3.3,
      global: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    });
    expect(BEDROCK_PRICES['amazon.titan-embed-text-v2:0']).toEqual({
      input: 0.02,
      source: PRICES_SOURCE,
      asOf: PRICES_AS_OF,
    });
    expect(Object.keys(BEDROCK_PRICES)).toHaveLength(14);
  });

  it('cannot be changed by a caller', () => {
    const row = BEDROCK_PRICES['amazon.nova-lite-v1:0'] as { input: number };
    expect(() => {
      row.input = 0;
    }).toThrow(TypeError);
    expect(Object.isFrozen(BEDROCK_PRICES['anthropic.claude-haiku-4-5-20251001-v1:0']?.global)).toBe(true);
  });
});
