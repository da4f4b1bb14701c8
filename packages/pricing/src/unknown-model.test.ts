import { describe, expect, it } from 'vitest';
import { unknownModelMessage } from './unknown-model.js';

describe('unknownModelMessage', () => {
  it('names the id and shows an override keyed by the base model id', () => {
    expect(unknownModelMessage('eu.cohere.command-r-v1:0')).toBe(
      '[pricing] no price for Bedrock model "eu.cohere.command-r-v1:0", so its cost is reported as null; ' +
        'add one with createPricing({ overrides: { "cohere.command-r-v1:0": { input: ..., output: ... } } }) ' +
        '(USD per 1M tokens) or a JSON file read by loadPriceOverrides()',
    );
  });

  it('explains application inference profiles', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3';
    const message = unknownModelMessage(arn);
    expect(message).toContain(
      'an application inference profile does not name its model; key the override by the full ARN',
    );
    expect(message).toContain(`overrides: { "${arn}"`);
    expect(message).not.toContain('\n');
  });
});
