import { describe, expect, it } from 'vitest';
import { BEDROCK_PRICES, PRICES_AS_OF, PRICES_SOURCE } from './price-table.js';

describe('BEDROCK_PRICES', () => {
  it('carries a source and date on every row', () => {
    for (const row of Object.values(BEDROCK_PRICES)) {
      expect(row.source).toBe(PRICES_SOURCE);
      expect(row.asOf).toBe(PRICES_AS_OF);
    }
    expect(PRICES_SOURCE).toBe('AWS Bedrock pricing page, us-east-1');
    expect(PRICES_AS_OF).toBe('2026-06');
  });

  it('holds the published prices per 1M tokens', () => {
    expect(BEDROCK_PRICES['amazon.nova-lite-v1:0']).toMatchObject({
      input: 0.06,
      output: 0.24,
      cacheRead: 0.015,
    });
    expect(BEDROCK_PRICES['amazon.nova-lite-v1:0']?.cacheWrite).toBeUndefined();
    expect(BEDROCK_PRICES['anthropic.claude-opus-4-20250514-v1:0']).toMatchObject({
      input: 15,
      output: 75,
      cacheRead: 1.5,
      cacheWrite: 18.75,
    });
    expect(BEDROCK_PRICES['anthropic.claude-sonnet-4-5-20250929-v1:0']).toMatchObject({
      input: 3.3,
      global: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    });
    expect(BEDROCK_PRICES['amazon.titan-embed-text-v2:0']).toEqual({
      input: 0.02,
      source: PRICES_SOURCE,
      asOf: PRICES_AS_OF,
    });
  });

  it('prices every on-demand text model, with cache prices where Bedrock bills its prompt cache', () => {
    const textModels = [
      'anthropic.claude-3-haiku-20240307-v1:0',
      'anthropic.claude-3-5-sonnet-20241022-v2:0',
      'anthropic.claude-opus-4-5-20251101-v1:0',
      'amazon.titan-text-express-v1',
      'amazon.titan-text-premier-v1:0',
      'meta.llama3-1-70b-instruct-v1:0',
      'meta.llama4-maverick-17b-instruct-v1:0',
      'mistral.mistral-large-2407-v1:0',
      'cohere.command-r-plus-v1:0',
      'ai21.jamba-1-5-large-v1:0',
      'deepseek.r1-v1:0',
      'openai.gpt-oss-120b-1:0',
      'qwen.qwen3-32b-v1:0',
      'writer.palmyra-x5-v1:0',
    ];
    for (const model of textModels) {
      expect(BEDROCK_PRICES[model], model).toMatchObject({
        input: expect.any(Number),
        output: expect.any(Number),
      });
    }
    expect(BEDROCK_PRICES['anthropic.claude-3-haiku-20240307-v1:0']).toEqual({
      input: 0.25,
      output: 1.25,
      source: PRICES_SOURCE,
      asOf: PRICES_AS_OF,
    });
    // Bedrock's prompt-caching models bill reads (Nova) or reads and writes (Claude).
    for (const [model, row] of Object.entries(BEDROCK_PRICES)) {
      if (/^amazon\.nova-/.test(model)) expect(row.cacheRead, model).toBeGreaterThan(0);
      if (/^anthropic\.claude-(3-5-haiku|3-7-sonnet|sonnet-4|opus-4|haiku-4-5)/.test(model)) {
        expect(row.cacheWrite, model).toBeGreaterThan(row.input);
        expect(row.cacheRead, model).toBeLessThan(row.input);
      }
    }
    expect(Object.keys(BEDROCK_PRICES).length).toBeGreaterThanOrEqual(60);
  });

  it('cannot be changed by a caller', () => {
    const row = BEDROCK_PRICES['amazon.nova-lite-v1:0'] as { input: number };
    expect(() => {
      row.input = 0;
    }).toThrow(TypeError);
    expect(Object.isFrozen(BEDROCK_PRICES['anthropic.claude-haiku-4-5-20251001-v1:0']?.global)).toBe(true);
  });
});
