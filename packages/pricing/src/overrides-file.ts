import { readFileSync } from 'node:fs';
import { PricingError } from './errors.js';
import { type PriceOverrides, validatePriceOverrides } from './overrides.js';

/**
 * Reads and validates a JSON file of price overrides, to pass as `createPricing({ overrides })`.
 * The file is one JSON object of rows keyed by model id, in USD per 1M tokens:
 * `{ "amazon.nova-lite-v1:0": { "input": 0.06, "output": 0.24, "cacheRead": 0.015, "asOf": "2026-06" } }`.
 * Rows without a `source` get `'price file <path>'`.
 *
 * @param path - the file to read, as given to `fs.readFileSync`; it appears as given in error messages.
 * @throws {PricingError} with code `INVALID_PRICE_FILE` and a one-line message naming the file and the fix,
 *   when the file cannot be read, is not JSON, or holds a bad field, e.g.
 *   `[pricing] prices.json: "amazon.x".input must be a number >= 0 (USD per 1M tokens), got -1`.
 */
export function loadPriceOverrides(path: string): PriceOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new PricingError(
      'INVALID_PRICE_FILE',
      `[pricing] ${path}: cannot read the price file (${code}); check the path`,
      {
        cause: error,
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    throw new PricingError(
      'INVALID_PRICE_FILE',
      `[pricing] ${path}: not valid JSON (${reason}); the file must be one JSON object of price rows keyed by model id`,
      { cause: error },
    );
  }
  const overrides = validatePriceOverrides(parsed, { label: path, code: 'INVALID_PRICE_FILE' });
  const withSource: Record<string, PriceOverrides[string]> = {};
  for (const [modelId, row] of Object.entries(overrides)) {
    const value = { ...row, source: row.source ?? `price file ${path}` };
    Object.defineProperty(withSource, modelId, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return withSource;
}
