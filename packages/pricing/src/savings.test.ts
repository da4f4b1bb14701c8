import { describe, expect, it } from 'vitest';
import { costOf } from './default-pricing.js';
import { PricingError } from './errors.js';
import { savingsOf } from './savings.js';

describe('the course example, priced per 1M tokens', () => {
  it('a Nova Lite call of 100 input + 200 output tokens costs $0.000054 (the course README said $0.054 per 1K)', () => {
    const costPerCallUsd = costOf('amazon.nova-lite-v1:0', { inputTokens: 100, outputTokens: 200 });
    expect(costPerCallUsd).not.toBeNull();
    expect(costPerCallUsd).toBeCloseTo(0.000054, 15);
    expect(Math.abs((costPerCallUsd as number) - 0.054)).toBeGreaterThan(0.05);
  });

  it('1,000 calls at an 80% hit rate: $0.054 without cache, $0.0108 with, $0.0432 saved', () => {
    const costPerCallUsd = costOf('amazon.nova-lite-v1:0', { inputTokens: 100, outputTokens: 200 }) as number;
    const savings = savingsOf({ costPerCallUsd, calls: 1000, hitRate: 0.8 });
    expect(savings.withoutCacheUsd).toBeCloseTo(0.054, 12);
    expect(savings.withCacheUsd).toBeCloseTo(0.0108, 12);
    expect(savings.savedUsd).toBeCloseTo(0.0432, 12);
    expect(savings.savedFraction).toBeCloseTo(0.8, 12);
  });
});

describe('savingsOf', () => {
  it('handles the edges of the hit rate and zero cost', () => {
    expect(savingsOf({ costPerCallUsd: 0.01, calls: 10, hitRate: 0 })).toEqual({
      withoutCacheUsd: 0.1,
      withCacheUsd: 0.1,
      savedUsd: 0,
      savedFraction: 0,
    });
    expect(savingsOf({ costPerCallUsd: 0.01, calls: 10, hitRate: 1 })).toMatchObject({
      withCacheUsd: 0,
      savedFraction: 1,
    });
    expect(savingsOf({ costPerCallUsd: 0, calls: 10, hitRate: 0.5 })).toEqual({
      withoutCacheUsd: 0,
      withCacheUsd: 0,
      savedUsd: 0,
      savedFraction: 0,
    });
  });

  it.each([
    [{ costPerCallUsd: -1, calls: 1, hitRate: 0.5 }, 'costPerCallUsd must be a number of USD >= 0, got -1'],
    [{ costPerCallUsd: 1, calls: Number.NaN, hitRate: 0.5 }, 'calls must be a number >= 0, got NaN'],
    [
      { costPerCallUsd: 1, calls: 1, hitRate: 80 },
      'hitRate must be a number from 0 to 1 (0.8 means 80% of calls hit the cache), got 80',
    ],
    [{ costPerCallUsd: 1, calls: 1, hitRate: -0.1 }, 'hitRate must be a number from 0 to 1'],
  ])('rejects %j', (input, message) => {
    expect(() => savingsOf(input)).toThrow(PricingError);
    expect(() => savingsOf(input)).toThrow(`[pricing] savingsOf: ${message}`);
  });
});
