import { describeValue } from './describe-value.js';
import { PricingError } from './errors.js';
import type { TokenPrices } from './price-table.js';
import type { PricingTier } from './resolve-model.js';

/**
 * Token counts of one call, as Bedrock's Converse API reports them in `response.usage`
 * (the SDK's `TokenUsage` can be passed as is). `inputTokens` excludes the cache read and write tokens.
 * A missing or `null` count counts as 0.
 */
export interface TokenUsage {
  /** Input tokens that were neither read from nor written to the prompt cache. Default: 0. */
  readonly inputTokens?: number | undefined;
  /** Output tokens. Default: 0. */
  readonly outputTokens?: number | undefined;
  /** Input tokens read from Bedrock's prompt cache. Default: 0. */
  readonly cacheReadInputTokens?: number | undefined;
  /** Input tokens written to Bedrock's prompt cache. Default: 0. */
  readonly cacheWriteInputTokens?: number | undefined;
}

/**
 * The prices actually charged, in USD per 1M tokens. Kinds of token a model does not offer are filled in:
 * cache reads and writes at the input price, output at 0 (a model without an output price emits none).
 */
export interface AppliedPrices {
  /** USD per 1M input tokens. */
  readonly input: number;
  /** USD per 1M output tokens; 0 where the model has no output price. */
  readonly output: number;
  /** USD per 1M cache-read tokens; the input price where the model offers no cache reads. */
  readonly cacheRead: number;
  /** USD per 1M cache-write tokens; the input price where the model offers no cache writes. */
  readonly cacheWrite: number;
}

/** The dollar amounts of one call, in USD. */
export interface CostAmounts {
  /** USD for `inputTokens`. */
  readonly inputUsd: number;
  /** USD for `outputTokens`. */
  readonly outputUsd: number;
  /** USD for `cacheReadInputTokens`. */
  readonly cacheReadUsd: number;
  /** USD for `cacheWriteInputTokens`. */
  readonly cacheWriteUsd: number;
  /** The sum of the four amounts. */
  readonly totalUsd: number;
  /** The prices applied, in USD per 1M tokens. */
  readonly pricePer1M: AppliedPrices;
}

/** What `costBreakdown` returns: the cost of one call, part by part, and where the prices came from. */
export interface CostBreakdown extends CostAmounts {
  /** The model id as given. */
  readonly model: string;
  /** The model id whose price row was used, e.g. `anthropic.claude-sonnet-4-5-20250929-v1:0`. */
  readonly resolvedModel: string;
  /** The routing tier the id selects; `null` for an id priced by an exact override that names no tier. */
  readonly tier: PricingTier | null;
  /** Where the prices come from, e.g. `'AWS Bedrock pricing page, us-east-1'`. */
  readonly source: string;
  /** When the prices were checked, e.g. `'2026-06'`. */
  readonly asOf: string;
}

const TOKENS_PER_PRICE_UNIT = 1_000_000;

/** Fills in the prices of kinds of token a model does not offer (see {@link AppliedPrices}). */
export function appliedPrices(prices: TokenPrices): AppliedPrices {
  return {
    input: prices.input,
    output: prices.output ?? 0,
    cacheRead: prices.cacheRead ?? prices.input,
    cacheWrite: prices.cacheWrite ?? prices.input,
  };
}

/**
 * The cost of one call from prices in USD per 1M tokens: `tokens * pricePer1M / 1,000,000` for each kind
 * of token. Cache-read and cache-write tokens are billed at their own prices, or at the input price
 * where the model offers none.
 * @example costFromPrices({ input: 0.06, output: 0.24 }, { inputTokens: 100, outputTokens: 200 }).totalUsd // 0.000054
 * @throws {PricingError} `INVALID_ARGUMENT` when a token count is negative or not a finite number.
 */
export function costFromPrices(prices: TokenPrices, usage: TokenUsage): CostAmounts {
  assertValidUsage(usage);
  const pricePer1M = appliedPrices(prices);
  const inputUsd = dollars(tokens(usage, 'inputTokens'), pricePer1M.input);
  const outputUsd = dollars(tokens(usage, 'outputTokens'), pricePer1M.output);
  const cacheReadUsd = dollars(tokens(usage, 'cacheReadInputTokens'), pricePer1M.cacheRead);
  const cacheWriteUsd = dollars(tokens(usage, 'cacheWriteInputTokens'), pricePer1M.cacheWrite);
  return {
    inputUsd,
    outputUsd,
    cacheReadUsd,
    cacheWriteUsd,
    totalUsd: roundUsd(inputUsd + outputUsd + cacheReadUsd + cacheWriteUsd),
    pricePer1M,
  };
}

/**
 * Checks the token counts of a usage object.
 * @throws {PricingError} `INVALID_ARGUMENT` when `usage` is not an object or a count is negative or not finite.
 */
export function assertValidUsage(usage: TokenUsage): void {
  if (typeof usage !== 'object' || usage === null) {
    throw new PricingError(
      'INVALID_ARGUMENT',
      `[pricing] usage must be an object like { inputTokens: 100, outputTokens: 200 }, got ${describeValue(usage)}`,
    );
  }
  for (const field of [
    'inputTokens',
    'outputTokens',
    'cacheReadInputTokens',
    'cacheWriteInputTokens',
  ] as const) {
    tokens(usage, field);
  }
}

function tokens(usage: TokenUsage, field: keyof TokenUsage): number {
  const count: unknown = usage[field];
  if (count === undefined || count === null) return 0;
  if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
    throw new PricingError(
      'INVALID_ARGUMENT',
      `[pricing] usage.${field} must be a number of tokens >= 0, got ${describeValue(count)}`,
    );
  }
  return count;
}

function dollars(count: number, pricePer1M: number): number {
  return roundUsd((count * pricePer1M) / TOKENS_PER_PRICE_UNIT);
}

/** Rounds to a millionth of a cent (1e-12 USD), far below any price: float sums then print as written. */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}
