import { assertValidUsage, type CostBreakdown, costFromPrices, type TokenUsage } from './cost.js';
import { describeValue } from './describe-value.js';
import { PricingError } from './errors.js';
import { type PriceOverrides, validatePriceOverrides } from './overrides.js';
import { BEDROCK_PRICES, type PriceRow, type TokenPrices } from './price-table.js';
import { type PricingTier, parseModelId } from './resolve-model.js';
import { warnUnknownModel } from './unknown-model.js';

/** Options of {@link createPricing}. */
export interface PricingOptions {
  /**
   * Rows in USD per 1M tokens that replace (as a whole) or add to the built-in rows, keyed by model id.
   * Validated when the instance is created. Read them from a file with `loadPriceOverrides(path)`.
   * Default: none.
   * @example { 'amazon.nova-lite-v1:0': { input: 0.06, output: 0.24, cacheRead: 0.015 } }
   */
  readonly overrides?: PriceOverrides;
  /**
   * Called once per instance for each model id that has no price, when `costOf` or `costBreakdown`
   * is asked for it (`priceOf` and `resolveModel` never call it).
   * Default: `process.emitWarning` with a one-line message that says how to add an override.
   */
  readonly onUnknownModel?: (modelId: string) => void;
}

/** A model id resolved against a price table. */
export interface ResolvedModel {
  /** The model id as given. */
  readonly model: string;
  /**
   * The id of the price row that applies (a base model id such as `anthropic.claude-sonnet-4-20250514-v1:0`,
   * or the exact id an override is keyed by), or the parsed base id when `priced` is false.
   */
  readonly modelId: string;
  /** The routing tier the id selects; `null` for an id matched only by an exact override key. */
  readonly tier: PricingTier | null;
  /** Whether this instance has a price for the id. */
  readonly priced: boolean;
}

/** The prices in USD per 1M tokens that apply to one model id (missing field = not offered). */
export interface ModelPrice extends TokenPrices {
  /** The id of the price row used. */
  readonly modelId: string;
  /** The routing tier the id selects; `null` for an id matched only by an exact override key. */
  readonly tier: PricingTier | null;
  /** Where the prices come from. */
  readonly source: string;
  /** When the prices were checked, as `YYYY-MM`. */
  readonly asOf: string;
}

/** A price table with its cost functions. Methods do not use `this`, so they may be passed around alone. */
export interface Pricing {
  /**
   * The cost of one call in USD, or `null` (and a one-time `onUnknownModel` call) for a model without a price.
   * @throws {PricingError} `INVALID_ARGUMENT` for negative or non-numeric token counts.
   */
  costOf(model: string, usage: TokenUsage): number | null;
  /**
   * The cost of one call, part by part, with the prices and their source; `null` (and a one-time
   * `onUnknownModel` call) for a model without a price.
   * @throws {PricingError} `INVALID_ARGUMENT` for negative or non-numeric token counts.
   */
  costBreakdown(model: string, usage: TokenUsage): CostBreakdown | null;
  /** The prices in USD per 1M tokens that apply to a model id, profile id or ARN, or `null` if unknown. */
  priceOf(model: string): ModelPrice | null;
  /**
   * Resolves a model id, profile id or ARN to its price row id and tier. Returns `null` when the id cannot
   * be resolved at all (for example an application-inference-profile ARN without an exact override).
   */
  resolveModel(model: string): ResolvedModel | null;
  /** The model ids this instance has prices for (built-in and overrides), sorted. */
  models(): string[];
}

const AMBIGUOUS = Symbol('ambiguous');

/**
 * Creates a price table with its cost functions.
 * Lookup order for an id: an exact row for the id as given (trimmed), then the row of its base model id
 * (with any `global.`/`us.`/... prefix or ARN removed). When no row matches exactly, a row matching
 * case-insensitively is used, but only if exactly one does. Unknown ids are never given a guessed price.
 *
 * @example
 * const pricing = createPricing({ overrides: loadPriceOverrides('prices.json') });
 * pricing.costOf('us.amazon.nova-lite-v1:0', { inputTokens: 100, outputTokens: 200 }); // 0.000054
 * @throws {PricingError} `INVALID_OPTION` for invalid overrides or a non-function `onUnknownModel`.
 */
export function createPricing(options: PricingOptions = {}): Pricing {
  if (typeof options !== 'object' || options === null) {
    throw new PricingError(
      'INVALID_OPTION',
      `[pricing] options must be an object, got ${describeValue(options)}`,
    );
  }
  const onUnknownModel = options.onUnknownModel ?? warnUnknownModel;
  if (typeof onUnknownModel !== 'function') {
    throw new PricingError(
      'INVALID_OPTION',
      `[pricing] onUnknownModel must be a function (modelId) => void, got ${describeValue(onUnknownModel)}`,
    );
  }

  const rows = new Map<string, PriceRow>(Object.entries(BEDROCK_PRICES));
  if (options.overrides !== undefined) {
    for (const [modelId, override] of Object.entries(validatePriceOverrides(options.overrides))) {
      rows.set(modelId, {
        ...override,
        source: override.source ?? 'override',
        asOf: override.asOf ?? 'unspecified',
      });
    }
  }
  const folded = new Map<string, string | typeof AMBIGUOUS>();
  for (const modelId of rows.keys()) {
    const key = modelId.toLowerCase();
    folded.set(key, folded.has(key) ? AMBIGUOUS : modelId);
  }
  const warned = new Set<string>();

  function findRowId(id: string): string | undefined {
    if (rows.has(id)) return id;
    const match = folded.get(id.toLowerCase());
    return typeof match === 'string' ? match : undefined;
  }

  function resolveModel(model: string): ResolvedModel | null {
    if (typeof model !== 'string') return null;
    const trimmed = model.trim();
    const parsed = parseModelId(trimmed);
    const exactId = trimmed === '' ? undefined : findRowId(trimmed);
    if (exactId !== undefined) return { model, modelId: exactId, tier: parsed?.tier ?? null, priced: true };
    if (!parsed) return null;
    const baseId = findRowId(parsed.modelId);
    return { model, modelId: baseId ?? parsed.modelId, tier: parsed.tier, priced: baseId !== undefined };
  }

  function priceOf(model: string): ModelPrice | null {
    const resolved = resolveModel(model);
    const row = resolved?.priced ? rows.get(resolved.modelId) : undefined;
    if (!resolved || !row) return null;
    const prices: TokenPrices = resolved.tier === 'global' && row.global ? row.global : row;
    return {
      modelId: resolved.modelId,
      tier: resolved.tier,
      input: prices.input,
      ...(prices.output === undefined ? {} : { output: prices.output }),
      ...(prices.cacheRead === undefined ? {} : { cacheRead: prices.cacheRead }),
      ...(prices.cacheWrite === undefined ? {} : { cacheWrite: prices.cacheWrite }),
      source: row.source,
      asOf: row.asOf,
    };
  }

  function costBreakdown(model: string, usage: TokenUsage): CostBreakdown | null {
    assertValidUsage(usage);
    const price = priceOf(model);
    if (!price) {
      const id = String(model);
      if (!warned.has(id)) {
        warned.add(id);
        onUnknownModel(id);
      }
      return null;
    }
    return {
      model,
      resolvedModel: price.modelId,
      tier: price.tier,
      ...costFromPrices(price, usage),
      source: price.source,
      asOf: price.asOf,
    };
  }

  return {
    costOf: (model, usage) => costBreakdown(model, usage)?.totalUsd ?? null,
    costBreakdown,
    priceOf,
    resolveModel,
    models: () => [...rows.keys()].sort(),
  };
}
