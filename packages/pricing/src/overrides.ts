import { describeValue as describe } from './describe-value.js';
import { PricingError, type PricingErrorCode } from './errors.js';
import type { TokenPrices } from './price-table.js';

/**
 * One override row, in USD per 1M tokens, in the same shape as a built-in row.
 * An override replaces the built-in row of the same model id as a whole (fields are not merged).
 * @example { input: 0.06, output: 0.24, cacheRead: 0.015, source: 'our AWS contract', asOf: '2026-06' }
 */
export interface PriceOverride extends TokenPrices {
  /** Prices for `global.` inference profiles, if they differ. Default: the top-level prices. */
  readonly global?: TokenPrices;
  /** Where the prices come from. Default: `'override'` (`'price file <path>'` from {@link loadPriceOverrides}). */
  readonly source?: string;
  /** When the prices were checked, as `YYYY-MM`. Default: `'unspecified'`. */
  readonly asOf?: string;
}

/**
 * Override rows keyed by model id: a base model id (`amazon.nova-lite-v1:0`) prices every profile and ARN of
 * that model; a full id (an inference-profile id or an application-inference-profile ARN) prices only that id.
 */
export type PriceOverrides = Readonly<Record<string, PriceOverride>>;

/** Where a set of overrides came from, for error messages. */
export interface OverrideContext {
  /** Names the source in messages, e.g. the file path or `'overrides'`. */
  readonly label: string;
  /** The error code to throw with. */
  readonly code: PricingErrorCode;
}

const PRICE_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;
const ROW_FIELDS = [...PRICE_FIELDS, 'global', 'source', 'asOf'] as const;
const PRICE_RULE = 'must be a number >= 0 (USD per 1M tokens)';

/**
 * Checks that a value (typically parsed JSON) is a valid set of price overrides and returns a clean copy
 * (fields set to `null` are dropped, meaning "not offered").
 * @param value - the candidate overrides: an object of rows keyed by model id.
 * @param context - where the value came from. Default: `{ label: 'overrides', code: 'INVALID_OPTION' }`.
 * @throws {PricingError} with a one-line message naming the source and the bad field, e.g.
 *   `[pricing] prices.json: "amazon.x".input must be a number >= 0 (USD per 1M tokens), got -1`.
 */
export function validatePriceOverrides(
  value: unknown,
  context: OverrideContext = { label: 'overrides', code: 'INVALID_OPTION' },
): PriceOverrides {
  const fail = (problem: string): never => {
    throw new PricingError(context.code, `[pricing] ${context.label}: ${problem}`);
  };
  if (!isPlainObject(value)) {
    return fail(`must be an object of price rows keyed by model id, got ${describe(value)}`);
  }
  const result: Record<string, PriceOverride> = {};
  for (const [modelId, row] of Object.entries(value)) {
    const where = JSON.stringify(modelId);
    if (modelId.trim() === '' || /\s/.test(modelId)) {
      fail(`model id ${where} must be a non-empty id without whitespace`);
    }
    if (!isPlainObject(row)) {
      fail(
        `${where} must be an object like { "input": 0.06, "output": 0.24 } (USD per 1M tokens), got ${describe(row)}`,
      );
    }
    const checked = checkPrices(row as Record<string, unknown>, where, ROW_FIELDS, fail);
    const override: { -readonly [K in keyof PriceOverride]: PriceOverride[K] } = { ...checked };
    const rowRecord = row as Record<string, unknown>;
    if (rowRecord.global !== undefined && rowRecord.global !== null) {
      if (!isPlainObject(rowRecord.global)) {
        fail(
          `${where}.global must be an object of prices like { "input": 3, "output": 15 }, got ${describe(rowRecord.global)}`,
        );
      }
      override.global = checkPrices(
        rowRecord.global as Record<string, unknown>,
        `${where}.global`,
        PRICE_FIELDS,
        fail,
      );
    }
    for (const field of ['source', 'asOf'] as const) {
      const text = rowRecord[field];
      if (text === undefined || text === null) continue;
      if (typeof text !== 'string') fail(`${where}.${field} must be a string, got ${describe(text)}`);
      override[field] = text as string;
    }
    Object.defineProperty(result, modelId, {
      value: override,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

function checkPrices(
  row: Record<string, unknown>,
  where: string,
  allowed: readonly string[],
  fail: (problem: string) => never,
): TokenPrices {
  for (const field of Object.keys(row)) {
    if (!allowed.includes(field)) fail(`${where}.${field} is not a known field; use ${allowed.join(', ')}`);
  }
  if (row.input === undefined || row.input === null) {
    fail(`${where}.input is missing; every row needs an input price (USD per 1M tokens)`);
  }
  const prices: { -readonly [K in keyof TokenPrices]: TokenPrices[K] } = { input: 0 };
  for (const field of PRICE_FIELDS) {
    const price = row[field];
    if (price === undefined || price === null) continue;
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      fail(`${where}.${field} ${PRICE_RULE}, got ${describe(price)}`);
    }
    prices[field] = price as number;
  }
  return prices;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
