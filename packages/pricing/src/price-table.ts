/**
 * Prices in USD per 1M tokens. A missing field means Bedrock does not offer that kind of token
 * for the model (for example, no cache writes for Amazon Nova, no output for an embedding model).
 */
export interface TokenPrices {
  /** USD per 1M input tokens (tokens neither read from nor written to Bedrock's prompt cache). */
  readonly input: number;
  /** USD per 1M output tokens. Missing for models that produce no output tokens. */
  readonly output?: number;
  /** USD per 1M tokens read from Bedrock's prompt cache. Missing: not offered, billed at `input`. */
  readonly cacheRead?: number;
  /** USD per 1M tokens written to Bedrock's prompt cache. Missing: not offered, billed at `input`. */
  readonly cacheWrite?: number;
}

/**
 * One row of the price table: the prices of one base model id.
 * The top-level prices apply to in-region calls (a bare model id or a foundation-model ARN) and to
 * geographic inference profiles (`us.`, `eu.`, ...). `global` holds the prices of global cross-region
 * inference (`global.` profiles) where they differ; without it, global calls pay the top-level prices.
 */
export interface PriceRow extends TokenPrices {
  /** Prices for the `global.` inference profile, where they differ from the regional ones. */
  readonly global?: TokenPrices;
  /** Where the prices come from, e.g. `'AWS Bedrock pricing page, us-east-1'`. */
  readonly source: string;
  /** When the prices were read from the source, as `YYYY-MM`, e.g. `'2026-06'`. */
  readonly asOf: string;
}

/** The month the built-in prices were read from the AWS Bedrock pricing page. */
export const PRICES_AS_OF = '2026-06';

/** The source of the built-in prices. Other regions may charge differently; use overrides there. */
export const PRICES_SOURCE = 'AWS Bedrock pricing page, us-east-1';

const aws = { source: PRICES_SOURCE, asOf: PRICES_AS_OF } as const;

const claudeOpus4 = { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75, ...aws } as const;

/**
 * Built-in Amazon Bedrock on-demand prices in USD per 1M tokens, keyed by base model id.
 * Read-only; use the `overrides` option of {@link createPricing} to replace or add rows.
 */
export const BEDROCK_PRICES: Readonly<Record<string, PriceRow>> = /* @__PURE__ */ deepFreeze({
  'amazon.nova-micro-v1:0': { input: 0.035, output: 0.14, cacheRead: 0.00875, ...aws },
  'amazon.nova-lite-v1:0': { input: 0.06, output: 0.24, cacheRead: 0.015, ...aws },
  'amazon.nova-pro-v1:0': { input: 0.8, output: 3.2, cacheRead: 0.2, ...aws },
  'amazon.nova-premier-v1:0': { input: 2.5, output: 12.5, cacheRead: 0.625, ...aws },
  'anthropic.claude-3-5-haiku-20241022-v1:0': {
    input: 0.8,
    output: 4,
    cacheRead: 0.08,
    cacheWrite: 1,
    ...aws,
  },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': {
    input: 3,
    output: 15,
    cacheRead: 0.3,
    cacheWrite: 3.75,
    ...aws,
  },
  'anthropic.claude-sonnet-4-20250514-v1:0': {
    input: 3,
    output: 15,
    cacheRead: 0.3,
    cacheWrite: 3.75,
    ...aws,
  },
  'anthropic.claude-sonnet-4-5-20250929-v1:0': {
    input: 3.3,
    output: 16.5,
    cacheRead: 0.33,
    cacheWrite: 4.125,
    global: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    ...aws,
  },
  'anthropic.claude-haiku-4-5-20251001-v1:0': {
    input: 1.1,
    output: 5.5,
    cacheRead: 0.11,
    cacheWrite: 1.375,
    global: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
    ...aws,
  },
  'anthropic.claude-opus-4-1-20250805-v1:0': claudeOpus4,
  'anthropic.claude-opus-4-20250514-v1:0': claudeOpus4,
  'meta.llama3-3-70b-instruct-v1:0': { input: 0.72, output: 0.72, ...aws },
  'mistral.mistral-large-2402-v1:0': { input: 4, output: 12, ...aws },
  'amazon.titan-embed-text-v2:0': { input: 0.02, ...aws },
});

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child);
  }
  return Object.freeze(value);
}
