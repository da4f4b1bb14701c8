export {
  type AppliedPrices,
  appliedPrices,
  type CostAmounts,
  type CostBreakdown,
  costFromPrices,
  type TokenUsage,
} from './cost.js';
export { costBreakdown, costOf, priceOf, resolveModel } from './default-pricing.js';
export { PricingError, type PricingErrorCode } from './errors.js';
export {
  type OverrideContext,
  type PriceOverride,
  type PriceOverrides,
  validatePriceOverrides,
} from './overrides.js';
export { loadPriceOverrides } from './overrides-file.js';
export {
  BEDROCK_PRICES,
  PRICES_AS_OF,
  PRICES_SOURCE,
  type PriceRow,
  type TokenPrices,
} from './price-table.js';
export {
  createPricing,
  type ModelPrice,
  type Pricing,
  type PricingOptions,
  type ResolvedModel,
} from './pricing.js';
export {
  INFERENCE_PROFILE_PREFIXES,
  type ParsedModelId,
  type PricingTier,
  parseModelId,
} from './resolve-model.js';
export { type Savings, type SavingsInput, savingsOf } from './savings.js';
export { unknownModelMessage, warnUnknownModel } from './unknown-model.js';
