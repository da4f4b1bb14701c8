import { describe, expect, it, vi } from 'vitest';
import { PricingError } from './errors.js';
import { createPricing } from './pricing.js';

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const SONNET_4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const APP_PROFILE = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';

function quietPricing(options: Parameters<typeof createPricing>[0] = {}) {
  const unknown: string[] = [];
  const pricing = createPricing({ onUnknownModel: (modelId) => unknown.push(modelId), ...options });
  return { pricing, unknown };
}

describe('costOf: per-1M arithmetic', () => {
  const { pricing } = quietPricing();

  it.each([
    ['amazon.nova-micro-v1:0', 1_000_000, 1_000_000, 0.035 + 0.14],
    ['amazon.nova-lite-v1:0', 100, 200, 0.000054],
    ['amazon.nova-pro-v1:0', 10_000, 1_000, 0.008 + 0.0032],
    ['amazon.nova-premier-v1:0', 2_000, 500, 0.005 + 0.00625],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 1_000, 1_000, 0.0008 + 0.004],
    ['anthropic.claude-opus-4-1-20250805-v1:0', 1_000, 1_000, 0.015 + 0.075],
    ['meta.llama3-3-70b-instruct-v1:0', 500_000, 500_000, 0.72],
    ['mistral.mistral-large-2402-v1:0', 250_000, 100_000, 1 + 1.2],
    ['amazon.titan-embed-text-v2:0', 1_000_000, 0, 0.02],
  ])('%s: %i input + %i output tokens', (model, inputTokens, outputTokens, expected) => {
    expect(pricing.costOf(model, { inputTokens, outputTokens })).toBeCloseTo(expected, 12);
  });

  it('prices zero tokens at zero', () => {
    expect(pricing.costOf('amazon.nova-pro-v1:0', { inputTokens: 0, outputTokens: 0 })).toBe(0);
  });
});

describe('costBreakdown: cache tokens', () => {
  const { pricing } = quietPricing();

  it('bills Claude cache reads and writes at their own prices', () => {
    const breakdown = pricing.costBreakdown(`us.${SONNET_4}`, {
      inputTokens: 2_000,
      outputTokens: 500,
      cacheReadInputTokens: 10_000,
      cacheWriteInputTokens: 4_000,
    });
    expect(breakdown).not.toBeNull();
    expect(breakdown?.model).toBe(`us.${SONNET_4}`);
    expect(breakdown?.resolvedModel).toBe(SONNET_4);
    expect(breakdown?.tier).toBe('geographic');
    expect(breakdown?.inputUsd).toBeCloseTo(0.006, 12); // 2,000 x $3 / 1M
    expect(breakdown?.outputUsd).toBeCloseTo(0.0075, 12); // 500 x $15 / 1M
    expect(breakdown?.cacheReadUsd).toBeCloseTo(0.003, 12); // 10,000 x $0.30 / 1M
    expect(breakdown?.cacheWriteUsd).toBeCloseTo(0.015, 12); // 4,000 x $3.75 / 1M
    expect(breakdown?.totalUsd).toBeCloseTo(0.0315, 12);
    expect(breakdown?.pricePer1M).toEqual({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    expect(breakdown?.source).toBe('AWS Bedrock pricing page, us-east-1');
    expect(breakdown?.asOf).toBe('2026-06');
  });

  it('bills Nova cache writes (not offered) at the input price and cache reads at their own', () => {
    const breakdown = pricing.costBreakdown('amazon.nova-pro-v1:0', {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 1_000_000,
      cacheWriteInputTokens: 1_000_000,
    });
    expect(breakdown?.cacheReadUsd).toBeCloseTo(0.2, 12);
    expect(breakdown?.cacheWriteUsd).toBeCloseTo(0.8, 12);
    expect(breakdown?.pricePer1M).toEqual({ input: 0.8, output: 3.2, cacheRead: 0.2, cacheWrite: 0.8 });
  });

  it('costOf equals the breakdown total', () => {
    const usage = {
      inputTokens: 123,
      outputTokens: 456,
      cacheReadInputTokens: 789,
      cacheWriteInputTokens: 12,
    };
    expect(pricing.costOf(HAIKU_45, usage)).toBe(pricing.costBreakdown(HAIKU_45, usage)?.totalUsd);
  });

  it('throws on bad usage instead of returning a wrong figure', () => {
    expect(() => pricing.costOf('amazon.nova-lite-v1:0', { inputTokens: -5, outputTokens: 1 })).toThrow(
      '[pricing] usage.inputTokens must be a number of tokens >= 0, got -5',
    );
  });
});

describe('resolveModel', () => {
  const { pricing } = quietPricing();

  it.each([
    ['us.', 'geographic'],
    ['eu.', 'geographic'],
    ['apac.', 'geographic'],
    ['jp.', 'geographic'],
    ['au.', 'geographic'],
    ['us-gov.', 'geographic'],
    ['ca.', 'geographic'],
    ['global.', 'global'],
  ] as const)('resolves the %s profile to the base model (%s)', (prefix, tier) => {
    expect(pricing.resolveModel(`${prefix}${SONNET_4}`)).toEqual({
      model: `${prefix}${SONNET_4}`,
      modelId: SONNET_4,
      tier,
      priced: true,
    });
    expect(pricing.costOf(`${prefix}${SONNET_4}`, { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(
      3,
      12,
    );
  });

  it('resolves both ARN forms', () => {
    const profileArn = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET_4}`;
    expect(pricing.resolveModel(profileArn)).toEqual({
      model: profileArn,
      modelId: SONNET_4,
      tier: 'geographic',
      priced: true,
    });
    const modelArn = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0';
    expect(pricing.resolveModel(modelArn)).toEqual({
      model: modelArn,
      modelId: 'amazon.nova-lite-v1:0',
      tier: 'in-region',
      priced: true,
    });
    expect(pricing.costOf(modelArn, { inputTokens: 100, outputTokens: 200 })).toBeCloseTo(0.000054, 15);
  });

  it('cannot resolve an application-inference-profile ARN', () => {
    expect(pricing.resolveModel(APP_PROFILE)).toBeNull();
    expect(pricing.priceOf(APP_PROFILE)).toBeNull();
  });

  it('reports a well-formed id without a price as unpriced', () => {
    expect(pricing.resolveModel('eu.acme.unpriced-model-v1:0')).toEqual({
      model: 'eu.acme.unpriced-model-v1:0',
      modelId: 'acme.unpriced-model-v1:0',
      tier: 'geographic',
      priced: false,
    });
  });

  it('is lenient with whitespace and case, since no two rows differ only in case', () => {
    expect(pricing.resolveModel('  Amazon.Nova-Lite-V1:0 ')).toMatchObject({
      modelId: 'amazon.nova-lite-v1:0',
      tier: 'in-region',
      priced: true,
    });
    expect(pricing.resolveModel(`GLOBAL.${SONNET_45.toUpperCase()}`)).toMatchObject({
      modelId: SONNET_45,
      tier: 'global',
    });
  });

  it('refuses case-insensitive matching when it would be ambiguous', () => {
    const { pricing: ambiguous } = quietPricing({
      overrides: { 'acme.Model-v1': { input: 1 }, 'acme.model-V1': { input: 2 } },
    });
    expect(ambiguous.priceOf('acme.Model-v1')?.input).toBe(1);
    expect(ambiguous.priceOf('acme.model-V1')?.input).toBe(2);
    expect(ambiguous.priceOf('acme.model-v1')).toBeNull();
  });

  it('never guesses: near-miss ids stay unknown', () => {
    for (const model of [
      'anthropic.claude-sonnet-4-5',
      'amazon.nova-lite-v1',
      'amazon.nova-lite-v1:0:300k',
      'nova-lite',
    ]) {
      expect(pricing.priceOf(model)).toBeNull();
    }
  });
});

describe('global vs regional prices', () => {
  const { pricing } = quietPricing();
  const usage = {
    inputTokens: 1_000_000,
    outputTokens: 1_000_000,
    cacheReadInputTokens: 1_000_000,
    cacheWriteInputTokens: 1_000_000,
  };

  it.each([
    [
      SONNET_45,
      { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      { input: 3.3, output: 16.5, cacheRead: 0.33, cacheWrite: 4.125 },
    ],
    [
      HAIKU_45,
      { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
      { input: 1.1, output: 5.5, cacheRead: 0.11, cacheWrite: 1.375 },
    ],
  ])('%s: global. pays the global price; a geographic prefix or a bare id pays the regional price', (model, global, regional) => {
    expect(pricing.priceOf(`global.${model}`)).toMatchObject({ ...global, tier: 'global', modelId: model });
    expect(pricing.costBreakdown(`global.${model}`, usage)?.pricePer1M).toEqual(global);
    expect(pricing.costOf(`global.${model}`, usage)).toBeCloseTo(
      global.input + global.output + global.cacheRead + global.cacheWrite,
      12,
    );
    for (const id of [
      `us.${model}`,
      `eu.${model}`,
      `jp.${model}`,
      `au.${model}`,
      model,
      `arn:aws:bedrock:us-west-2::foundation-model/${model}`,
    ]) {
      expect(pricing.costBreakdown(id, usage)?.pricePer1M).toEqual(regional);
    }
    const globalArn = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.${model}`;
    expect(pricing.costBreakdown(globalArn, usage)?.pricePer1M).toEqual(global);
  });

  it('gives models without a separate global price the same price everywhere', () => {
    expect(pricing.priceOf(`global.${SONNET_4}`)?.input).toBe(3);
    expect(pricing.priceOf(`us.${SONNET_4}`)?.input).toBe(3);
  });
});

describe('unknown models', () => {
  it('return null and warn exactly once per model id', () => {
    const { pricing, unknown } = quietPricing();
    const usage = { inputTokens: 10, outputTokens: 10 };
    expect(pricing.costOf('acme.unpriced-model-v1:0', usage)).toBeNull();
    expect(pricing.costOf('acme.unpriced-model-v1:0', usage)).toBeNull();
    expect(pricing.costBreakdown('acme.unpriced-model-v1:0', usage)).toBeNull();
    expect(pricing.costOf(APP_PROFILE, usage)).toBeNull();
    expect(pricing.costOf(APP_PROFILE, usage)).toBeNull();
    expect(unknown).toEqual(['acme.unpriced-model-v1:0', APP_PROFILE]);
  });

  it('are not reported by priceOf or resolveModel', () => {
    const { pricing, unknown } = quietPricing();
    expect(pricing.priceOf('acme.unpriced-model-v1:0')).toBeNull();
    expect(pricing.resolveModel(APP_PROFILE)).toBeNull();
    expect(unknown).toEqual([]);
  });

  it('warn through process.emitWarning by default', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const pricing = createPricing();
      pricing.costOf('acme.unpriced-model-v1:0', { inputTokens: 1, outputTokens: 1 });
      pricing.costOf('acme.unpriced-model-v1:0', { inputTokens: 1, outputTokens: 1 });
      expect(emitWarning).toHaveBeenCalledTimes(1);
      const [message, options] = emitWarning.mock.calls[0] as [string, { type: string; code: string }];
      expect(message).toMatch(/^\[pricing\] no price for Bedrock model "acme\.unpriced-model-v1:0"/);
      expect(message).toContain('overrides');
      expect(message).not.toContain('\n');
      expect(options).toEqual({ type: 'PricingWarning', code: 'PRICING_UNKNOWN_MODEL' });
    } finally {
      emitWarning.mockRestore();
    }
  });
});

describe('overrides by option', () => {
  it('replace a built-in row as a whole and add new rows', () => {
    const { pricing, unknown } = quietPricing({
      overrides: {
        'amazon.nova-lite-v1:0': { input: 0.05, output: 0.2, source: 'our private pricing', asOf: '2026-07' },
        'acme.unpriced-model-v1:0': { input: 0.5, output: 1.5 },
      },
    });
    expect(pricing.priceOf('us.amazon.nova-lite-v1:0')).toEqual({
      modelId: 'amazon.nova-lite-v1:0',
      tier: 'geographic',
      input: 0.05,
      output: 0.2,
      source: 'our private pricing',
      asOf: '2026-07',
    });
    // The override offers no cache read, so cache reads are billed at its input price.
    expect(
      pricing.costBreakdown('amazon.nova-lite-v1:0', { cacheReadInputTokens: 1_000_000 })?.cacheReadUsd,
    ).toBeCloseTo(0.05, 12);
    const added = pricing.costBreakdown('eu.acme.unpriced-model-v1:0', {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
    });
    expect(added).toMatchObject({
      resolvedModel: 'acme.unpriced-model-v1:0',
      source: 'override',
      asOf: 'unspecified',
    });
    expect(added?.totalUsd).toBeCloseTo(2, 12);
    expect(pricing.models()).toContain('acme.unpriced-model-v1:0');
    expect(unknown).toEqual([]);
  });

  it('replacing a row with a global price drops it unless the override gives one', () => {
    const { pricing } = quietPricing({ overrides: { [SONNET_45]: { input: 2, output: 10 } } });
    expect(pricing.priceOf(`global.${SONNET_45}`)?.input).toBe(2);
    const { pricing: withGlobal } = quietPricing({
      overrides: { [SONNET_45]: { input: 2, output: 10, global: { input: 1.5, output: 8 } } },
    });
    expect(withGlobal.priceOf(`global.${SONNET_45}`)).toMatchObject({
      input: 1.5,
      output: 8,
      tier: 'global',
    });
    expect(withGlobal.priceOf(`us.${SONNET_45}`)).toMatchObject({ input: 2, output: 10, tier: 'geographic' });
  });

  it('can price an application inference profile by its full ARN', () => {
    const { pricing, unknown } = quietPricing({ overrides: { [APP_PROFILE]: { input: 3, output: 15 } } });
    expect(pricing.resolveModel(APP_PROFILE)).toEqual({
      model: APP_PROFILE,
      modelId: APP_PROFILE,
      tier: null,
      priced: true,
    });
    expect(pricing.costOf(APP_PROFILE, { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(3, 12);
    expect(unknown).toEqual([]);
  });

  it('can price one profile id apart from its base model', () => {
    const { pricing } = quietPricing({ overrides: { [`us-gov.${SONNET_4}`]: { input: 3.6, output: 18 } } });
    expect(pricing.priceOf(`us-gov.${SONNET_4}`)).toMatchObject({
      modelId: `us-gov.${SONNET_4}`,
      tier: 'geographic',
      input: 3.6,
    });
    expect(pricing.priceOf(`us.${SONNET_4}`)?.input).toBe(3);
  });

  it('leave other instances and the built-in table alone', () => {
    quietPricing({ overrides: { 'amazon.nova-lite-v1:0': { input: 99 } } });
    expect(createPricing().priceOf('amazon.nova-lite-v1:0')?.input).toBe(0.06);
  });

  it('are validated when the instance is created', () => {
    const create = () => createPricing({ overrides: { 'amazon.x': { input: -1 } } });
    expect(create).toThrow(PricingError);
    expect(create).toThrow(
      '[pricing] overrides: "amazon.x".input must be a number >= 0 (USD per 1M tokens), got -1',
    );
    expect(() => createPricing({ onUnknownModel: 'warn' as never })).toThrow(
      'onUnknownModel must be a function',
    );
  });
});

describe('models', () => {
  it('lists every priced model id, sorted', () => {
    const models = createPricing().models();
    expect(models.length).toBeGreaterThanOrEqual(60);
    expect(models).toEqual([...models].sort());
    expect(models).toContain('anthropic.claude-opus-4-20250514-v1:0');
  });

  it('methods work when taken off the instance', () => {
    const { costOf, priceOf } = quietPricing().pricing;
    expect(priceOf('amazon.nova-micro-v1:0')?.cacheRead).toBe(0.00875);
    expect(costOf('amazon.nova-micro-v1:0', { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(
      0.035,
      12,
    );
  });
});
