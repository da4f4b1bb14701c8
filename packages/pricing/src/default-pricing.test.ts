import { describe, expect, it } from 'vitest';
import { costBreakdown, costOf, priceOf, resolveModel } from './index.js';

describe('default-instance functions', () => {
  it('use the built-in prices', () => {
    expect(costOf('apac.amazon.nova-lite-v1:0', { inputTokens: 100, outputTokens: 200 })).toBeCloseTo(
      0.000054,
      15,
    );
    expect(
      costBreakdown('global.anthropic.claude-haiku-4-5-20251001-v1:0', { inputTokens: 1_000_000 })?.totalUsd,
    ).toBeCloseTo(1, 12);
    expect(priceOf('amazon.titan-embed-text-v2:0')).toEqual({
      modelId: 'amazon.titan-embed-text-v2:0',
      tier: 'in-region',
      input: 0.02,
      source: 'AWS Bedrock pricing page, us-east-1',
      asOf: '2026-06',
    });
    expect(resolveModel('jp.anthropic.claude-sonnet-4-5-20250929-v1:0')).toMatchObject({
      tier: 'geographic',
      priced: true,
    });
  });
});
