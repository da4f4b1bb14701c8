import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PricingError } from './errors.js';
import { loadPriceOverrides } from './overrides-file.js';
import { createPricing } from './pricing.js';

const directory = mkdtempSync(join(tmpdir(), 'pricing-overrides-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function priceFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(run: () => unknown): PricingError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PricingError);
    return error as PricingError;
  }
  throw new Error('expected an error');
}

describe('loadPriceOverrides', () => {
  it('reads a file of overrides that createPricing accepts', () => {
    const path = priceFile(
      'prices.json',
      JSON.stringify({
        'amazon.nova-lite-v1:0': { input: 0.05, output: 0.2, cacheRead: 0.0125, asOf: '2026-07' },
        'cohere.command-r-v1:0': { input: 0.5, output: 1.5, source: 'our contract' },
      }),
    );
    const overrides = loadPriceOverrides(path);
    expect(overrides['amazon.nova-lite-v1:0']).toEqual({
      input: 0.05,
      output: 0.2,
      cacheRead: 0.0125,
      asOf: '2026-07',
      source: `price file ${path}`,
    });
    const pricing = createPricing({ overrides, onUnknownModel: () => {} });
    expect(
      pricing.costOf('us.amazon.nova-lite-v1:0', { inputTokens: 1_000_000, outputTokens: 1_000_000 }),
    ).toBeCloseTo(0.25, 12);
    expect(pricing.costBreakdown('cohere.command-r-v1:0', { inputTokens: 1 })).toMatchObject({
      source: 'our contract',
      asOf: 'unspecified',
    });
  });

  it('accepts a byte-order mark and an empty object', () => {
    expect(loadPriceOverrides(priceFile('bom.json', '\uFEFF{}'))).toEqual({});
  });

  it('names the file and the field for a negative price', () => {
    const path = priceFile('negative.json', JSON.stringify({ 'amazon.x': { input: -1, output: 1 } }));
    const error = errorOf(() => loadPriceOverrides(path));
    expect(error.code).toBe('INVALID_PRICE_FILE');
    expect(error.message).toBe(
      `[pricing] ${path}: "amazon.x".input must be a number >= 0 (USD per 1M tokens), got -1`,
    );
  });

  it('names the file for malformed JSON, on one line', () => {
    const path = priceFile('malformed.json', '{ "amazon.x": { "input": 0.06, }\n');
    const error = errorOf(() => loadPriceOverrides(path));
    expect(error.code).toBe('INVALID_PRICE_FILE');
    expect(error.message.startsWith(`[pricing] ${path}: not valid JSON (`)).toBe(true);
    expect(error.message).toContain('); the file must be one JSON object of price rows keyed by model id');
    expect(error.message).not.toContain('\n');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('names the file for JSON of the wrong shape', () => {
    const path = priceFile('array.json', '[{"input": 1}]');
    expect(errorOf(() => loadPriceOverrides(path)).message).toBe(
      `[pricing] ${path}: must be an object of price rows keyed by model id, got an array`,
    );
  });

  it('names the file when it cannot be read', () => {
    const path = join(directory, 'missing.json');
    const error = errorOf(() => loadPriceOverrides(path));
    expect(error.code).toBe('INVALID_PRICE_FILE');
    expect(error.message).toBe(`[pricing] ${path}: cannot read the price file (ENOENT); check the path`);
  });
});
