import type { CostBreakdown, TokenUsage } from './cost.js';
import { createPricing, type ModelPrice, type Pricing, type ResolvedModel } from './pricing.js';

let instance: Pricing | undefined;

/** The shared instance behind the default functions: built-in prices, warnings through `process.emitWarning`. */
function defaultPricing(): Pricing {
  instance ??= createPricing();
  return instance;
}

/**
 * The cost of one call in USD with the built-in prices, or `null` (and a one-time process warning) for a
 * model without a price. For overrides or a custom warning, use {@link createPricing}.
 * @example costOf('amazon.nova-lite-v1:0', { inputTokens: 100, outputTokens: 200 }) // 0.000054
 */
export function costOf(model: string, usage: TokenUsage): number | null {
  return defaultPricing().costOf(model, usage);
}

/** The cost of one call, part by part, with the built-in prices; `null` for a model without a price. */
export function costBreakdown(model: string, usage: TokenUsage): CostBreakdown | null {
  return defaultPricing().costBreakdown(model, usage);
}

/** The built-in prices in USD per 1M tokens that apply to a model id, profile id or ARN, or `null`. */
export function priceOf(model: string): ModelPrice | null {
  return defaultPricing().priceOf(model);
}

/** Resolves a model id, profile id or ARN against the built-in prices (see `Pricing.resolveModel`). */
export function resolveModel(model: string): ResolvedModel | null {
  return defaultPricing().resolveModel(model);
}
