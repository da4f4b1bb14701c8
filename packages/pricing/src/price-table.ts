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

/**
 * The source of the built-in prices: the public Amazon Bedrock pricing page (aws.amazon.com/bedrock/pricing),
 * on-demand, US East (N. Virginia). Other regions may charge differently; use overrides there.
 */
export const PRICES_SOURCE = 'AWS Bedrock pricing page, us-east-1';

const aws = { source: PRICES_SOURCE, asOf: PRICES_AS_OF } as const;

const claudeOpus4 = { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75, ...aws } as const;
const claudeSonnet = { input: 3, output: 15, ...aws } as const;
const sameInOut = (price: number) => ({ input: price, output: price, ...aws }) as const;

/**
 * Built-in Amazon Bedrock on-demand prices in USD per 1M tokens, keyed by base model id: every on-demand text
 * model (and the text embedding models), with cache read and write prices where Bedrock bills its prompt cache
 * (Amazon Nova: reads only; the Claude models of Bedrock's prompt-caching table: reads and writes).
 * Source: the public Amazon Bedrock pricing page (aws.amazon.com/bedrock/pricing), on-demand, US East (N. Virginia),
 * as of {@link PRICES_AS_OF}. Models in legacy status keep their last published price. Read-only; use the
 * `overrides` option of {@link createPricing} to replace or add rows, or for other regions.
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
  'anthropic.claude-opus-4-5-20251101-v1:0': {
    input: 5,
    output: 25,
    cacheRead: 0.5,
    cacheWrite: 6.25,
    ...aws,
  },
  // Bedrock has no prompt cache for these Claude models: no cache prices.
  'anthropic.claude-3-haiku-20240307-v1:0': { input: 0.25, output: 1.25, ...aws },
  'anthropic.claude-3-sonnet-20240229-v1:0': claudeSonnet,
  'anthropic.claude-3-opus-20240229-v1:0': { input: 15, output: 75, ...aws },
  'anthropic.claude-3-5-sonnet-20240620-v1:0': claudeSonnet,
  'anthropic.claude-3-5-sonnet-20241022-v2:0': claudeSonnet,
  'anthropic.claude-instant-v1': { input: 0.8, output: 2.4, ...aws },
  'anthropic.claude-v2': { input: 8, output: 24, ...aws },
  'anthropic.claude-v2:1': { input: 8, output: 24, ...aws },
  'amazon.titan-text-express-v1': { input: 0.2, output: 0.6, ...aws },
  'amazon.titan-text-lite-v1': { input: 0.15, output: 0.2, ...aws },
  'amazon.titan-text-premier-v1:0': { input: 0.5, output: 1.5, ...aws },
  'meta.llama3-8b-instruct-v1:0': { input: 0.3, output: 0.6, ...aws },
  'meta.llama3-70b-instruct-v1:0': { input: 2.65, output: 3.5, ...aws },
  'meta.llama3-1-8b-instruct-v1:0': sameInOut(0.22),
  'meta.llama3-1-70b-instruct-v1:0': sameInOut(0.72),
  'meta.llama3-1-405b-instruct-v1:0': sameInOut(2.4),
  'meta.llama3-2-1b-instruct-v1:0': sameInOut(0.1),
  'meta.llama3-2-3b-instruct-v1:0': sameInOut(0.15),
  'meta.llama3-2-11b-instruct-v1:0': sameInOut(0.16),
  'meta.llama3-2-90b-instruct-v1:0': sameInOut(0.72),
  'meta.llama3-3-70b-instruct-v1:0': sameInOut(0.72),
  'meta.llama4-scout-17b-instruct-v1:0': { input: 0.17, output: 0.66, ...aws },
  'meta.llama4-maverick-17b-instruct-v1:0': { input: 0.24, output: 0.97, ...aws },
  'mistral.mistral-7b-instruct-v0:2': { input: 0.15, output: 0.2, ...aws },
  'mistral.mixtral-8x7b-instruct-v0:1': { input: 0.45, output: 0.7, ...aws },
  'mistral.mistral-small-2402-v1:0': { input: 1, output: 3, ...aws },
  'mistral.mistral-large-2402-v1:0': { input: 4, output: 12, ...aws },
  'mistral.mistral-large-2407-v1:0': { input: 2, output: 6, ...aws },
  'mistral.pixtral-large-2502-v1:0': { input: 2, output: 6, ...aws },
  'cohere.command-text-v14': { input: 1.5, output: 2, ...aws },
  'cohere.command-light-text-v14': { input: 0.3, output: 0.6, ...aws },
  'cohere.command-r-v1:0': { input: 0.5, output: 1.5, ...aws },
  'cohere.command-r-plus-v1:0': { input: 3, output: 15, ...aws },
  'ai21.jamba-instruct-v1:0': { input: 0.5, output: 0.7, ...aws },
  'ai21.jamba-1-5-mini-v1:0': { input: 0.2, output: 0.4, ...aws },
  'ai21.jamba-1-5-large-v1:0': { input: 2, output: 8, ...aws },
  'deepseek.r1-v1:0': { input: 1.35, output: 5.4, ...aws },
  'writer.palmyra-x4-v1:0': { input: 2.5, output: 10, ...aws },
  'writer.palmyra-x5-v1:0': { input: 0.6, output: 6, ...aws },
  'openai.gpt-oss-20b-1:0': { input: 0.07, output: 0.3, ...aws },
  'openai.gpt-oss-120b-1:0': { input: 0.15, output: 0.6, ...aws },
  'qwen.qwen3-32b-v1:0': { input: 0.15, output: 0.6, ...aws },
  'qwen.qwen3-coder-30b-a3b-v1:0': { input: 0.15, output: 0.6, ...aws },
  'qwen.qwen3-235b-a22b-2507-v1:0': { input: 0.22, output: 0.88, ...aws },
  'qwen.qwen3-coder-480b-a35b-v1:0': { input: 0.45, output: 1.8, ...aws },
  'amazon.titan-embed-text-v1': { input: 0.1, ...aws },
  'amazon.titan-embed-text-v2:0': { input: 0.02, ...aws },
  'cohere.embed-english-v3': { input: 0.1, ...aws },
  'cohere.embed-multilingual-v3': { input: 0.1, ...aws },
});

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child);
  }
  return Object.freeze(value);
}
