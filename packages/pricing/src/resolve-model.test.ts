import { describe, expect, it } from 'vitest';
import { INFERENCE_PROFILE_PREFIXES, parseModelId } from './resolve-model.js';

const SONNET_4 = 'anthropic.claude-sonnet-4-20250514-v1:0';

describe('parseModelId', () => {
  it('reads a bare model id as in-region', () => {
    expect(parseModelId('amazon.nova-lite-v1:0')).toEqual({
      modelId: 'amazon.nova-lite-v1:0',
      tier: 'in-region',
    });
  });

  it.each([
    ['us.', 'geographic'],
    ['eu.', 'geographic'],
    ['apac.', 'geographic'],
    ['jp.', 'geographic'],
    ['au.', 'geographic'],
    ['us-gov.', 'geographic'],
    ['ca.', 'geographic'],
    ['global.', 'global'],
  ] as const)('strips the %s profile prefix (%s)', (prefix, tier) => {
    expect(parseModelId(`${prefix}${SONNET_4}`)).toEqual({ modelId: SONNET_4, tier });
  });

  it('knows exactly the eight documented prefixes', () => {
    expect(Object.keys(INFERENCE_PROFILE_PREFIXES).sort()).toEqual(
      ['apac.', 'au.', 'ca.', 'eu.', 'global.', 'jp.', 'us-gov.', 'us.'].sort(),
    );
  });

  it('reads an inference-profile ARN', () => {
    expect(parseModelId(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET_4}`)).toEqual({
      modelId: SONNET_4,
      tier: 'geographic',
    });
    expect(
      parseModelId(`arn:aws:bedrock:eu-west-1:123456789012:inference-profile/global.${SONNET_4}`),
    ).toEqual({
      modelId: SONNET_4,
      tier: 'global',
    });
    expect(
      parseModelId(`arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.${SONNET_4}`),
    ).toEqual({ modelId: SONNET_4, tier: 'geographic' });
  });

  it('reads a foundation-model ARN as in-region', () => {
    expect(parseModelId('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0')).toEqual({
      modelId: 'amazon.nova-lite-v1:0',
      tier: 'in-region',
    });
  });

  it.each([
    'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6',
    'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123',
    'arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.nova-lite-v1:0/abc',
    'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1',
    `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${SONNET_4}`,
    `arn:aws:bedrock:us-east-1::foundation-model/us.${SONNET_4}`,
    'arn:aws:s3:::bucket/amazon.nova-lite-v1:0',
    'arn:aws:bedrock:us-east-1::foundation-model/',
    '',
    '   ',
    'amazon.nova lite',
    'global.',
  ])('cannot resolve %j', (model) => {
    expect(parseModelId(model)).toBeNull();
  });

  it('ignores surrounding whitespace and the case of prefixes and ARN parts', () => {
    expect(parseModelId('  US.amazon.nova-lite-v1:0\n')).toEqual({
      modelId: 'amazon.nova-lite-v1:0',
      tier: 'geographic',
    });
    expect(
      parseModelId(`ARN:AWS:BEDROCK:us-east-1:123456789012:INFERENCE-PROFILE/Global.${SONNET_4}`),
    ).toEqual({
      modelId: SONNET_4,
      tier: 'global',
    });
  });

  it('returns null for a non-string at runtime', () => {
    expect(parseModelId(undefined as unknown as string)).toBeNull();
  });
});
