import { describe, expect, it } from 'vitest';
import { appliedPrices, costFromPrices } from './cost.js';
import { PricingError } from './errors.js';

describe('costFromPrices', () => {
  it('gives dollar amounts without float noise (they print as 0.00004548, not 0.00004547999999999999)', () => {
    const cost = costFromPrices({ input: 0.06, output: 0.24 }, { inputTokens: 90, outputTokens: 167 });
    expect(String(cost.totalUsd)).toBe('0.00004548');
    expect(String(cost.inputUsd)).toBe('0.0000054');
  });

  it('bills each kind of token at its price per 1M tokens', () => {
    const cost = costFromPrices(
      { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      {
        inputTokens: 1_000_000,
        outputTokens: 2_000_000,
        cacheReadInputTokens: 500_000,
        cacheWriteInputTokens: 100_000,
      },
    );
    expect(cost.inputUsd).toBeCloseTo(3, 12);
    expect(cost.outputUsd).toBeCloseTo(30, 12);
    expect(cost.cacheReadUsd).toBeCloseTo(0.15, 12);
    expect(cost.cacheWriteUsd).toBeCloseTo(0.375, 12);
    expect(cost.totalUsd).toBeCloseTo(33.525, 12);
  });

  it('bills cache tokens at the input price where no cache price is offered', () => {
    expect(appliedPrices({ input: 0.72, output: 0.72 })).toEqual({
      input: 0.72,
      output: 0.72,
      cacheRead: 0.72,
      cacheWrite: 0.72,
    });
    expect(appliedPrices({ input: 0.06, output: 0.24, cacheRead: 0.015 })).toEqual({
      input: 0.06,
      output: 0.24,
      cacheRead: 0.015,
      cacheWrite: 0.06,
    });
    const cost = costFromPrices(
      { input: 4, output: 12 },
      { cacheReadInputTokens: 1000, cacheWriteInputTokens: 1000 },
    );
    expect(cost.cacheReadUsd).toBeCloseTo(0.004, 12);
    expect(cost.cacheWriteUsd).toBeCloseTo(0.004, 12);
  });

  it('treats missing and null counts as 0, and a missing output price as 0', () => {
    expect(costFromPrices({ input: 0.02 }, { inputTokens: 1000 }).totalUsd).toBeCloseTo(0.00002, 15);
    expect(costFromPrices({ input: 1 }, { inputTokens: null as unknown as number }).totalUsd).toBe(0);
    expect(costFromPrices({ input: 0.02 }, { inputTokens: 10, outputTokens: 5 }).outputUsd).toBe(0);
  });

  it.each([
    [{ inputTokens: -1 }, 'usage.inputTokens must be a number of tokens >= 0, got -1'],
    [{ outputTokens: Number.NaN }, 'usage.outputTokens must be a number of tokens >= 0, got NaN'],
    [{ cacheReadInputTokens: '10' }, 'usage.cacheReadInputTokens must be a number of tokens >= 0, got "10"'],
    [{ cacheWriteInputTokens: Number.POSITIVE_INFINITY }, 'usage.cacheWriteInputTokens'],
    [null, 'usage must be an object'],
  ])('rejects bad usage %j with a clear error', (usage, message) => {
    const call = () => costFromPrices({ input: 1 }, usage as never);
    expect(call).toThrow(PricingError);
    expect(call).toThrow(message);
    try {
      call();
    } catch (error) {
      expect((error as PricingError).code).toBe('INVALID_ARGUMENT');
    }
  });
});
