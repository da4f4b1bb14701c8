import { describeValue } from './describe-value.js';
import { PricingError } from './errors.js';

/** Input of {@link savingsOf}. */
export interface SavingsInput {
  /** What one uncached call costs, in USD (for example from `costOf`). */
  readonly costPerCallUsd: number;
  /** How many calls are made. */
  readonly calls: number;
  /** The fraction of calls answered from the cache, from 0 to 1 (0.8 means 80%). */
  readonly hitRate: number;
}

/** What {@link savingsOf} returns, in USD. */
export interface Savings {
  /** The cost of all calls without a cache: `costPerCallUsd * calls`. */
  readonly withoutCacheUsd: number;
  /** The cost with a cache, where only misses reach Bedrock: `costPerCallUsd * calls * (1 - hitRate)`. */
  readonly withCacheUsd: number;
  /** `withoutCacheUsd - withCacheUsd`. */
  readonly savedUsd: number;
  /** `savedUsd / withoutCacheUsd` (equal to `hitRate`), or 0 when nothing is spent. */
  readonly savedFraction: number;
}

/**
 * The course's savings arithmetic: what a response cache saves when a share of calls is answered from it
 * for free. Prices are per 1M tokens, so a Nova Lite call of 100 input and 200 output tokens costs $0.000054
 * (not $0.054, as a "per 1K" reading would give).
 * @example savingsOf({ costPerCallUsd: 0.000054, calls: 1000, hitRate: 0.8 })
 * // { withoutCacheUsd: 0.054, withCacheUsd: 0.0108, savedUsd: 0.0432, savedFraction: 0.8 } (within float rounding)
 * @throws {PricingError} `INVALID_ARGUMENT` for a negative cost or call count, or a hit rate outside 0..1.
 */
export function savingsOf(input: SavingsInput): Savings {
  if (typeof input !== 'object' || input === null) {
    throw invalid(`savingsOf expects { costPerCallUsd, calls, hitRate }, got ${describeValue(input)}`);
  }
  const { costPerCallUsd, calls, hitRate } = input;
  if (!isNonNegative(costPerCallUsd)) {
    throw invalid(
      `savingsOf: costPerCallUsd must be a number of USD >= 0, got ${describeValue(costPerCallUsd)}`,
    );
  }
  if (!isNonNegative(calls))
    throw invalid(`savingsOf: calls must be a number >= 0, got ${describeValue(calls)}`);
  if (!isNonNegative(hitRate) || hitRate > 1) {
    throw invalid(
      `savingsOf: hitRate must be a number from 0 to 1 (0.8 means 80% of calls hit the cache), got ${describeValue(hitRate)}`,
    );
  }
  const withoutCacheUsd = costPerCallUsd * calls;
  const withCacheUsd = costPerCallUsd * calls * (1 - hitRate);
  const savedUsd = withoutCacheUsd - withCacheUsd;
  return {
    withoutCacheUsd,
    withCacheUsd,
    savedUsd,
    savedFraction: withoutCacheUsd === 0 ? 0 : savedUsd / withoutCacheUsd,
  };
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function invalid(problem: string): PricingError {
  return new PricingError('INVALID_ARGUMENT', `[pricing] ${problem}`);
}
