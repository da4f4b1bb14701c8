import { describe, expect, it } from 'vitest';
import { solution } from '../solution-switch.ts';

const { monthlySavings } = await solution<typeof import('./exercise.ts')>('06-cost', import.meta.url);

describe('exercise 6: your cost calculation', () => {
  it('prices per 1M tokens', () => {
    // 100 x 0.06/1M + 200 x 0.24/1M = $0.000054 per call; 10,000 calls a day; 80% hits; 30 days.
    const saved = monthlySavings({
      model: 'amazon.nova-lite-v1:0',
      inputTokens: 100,
      outputTokens: 200,
      callsPerDay: 10_000,
      hitRate: 0.8,
    });
    expect(saved).toBeCloseTo(12.96, 6);
  });

  it('resolves inference profiles to their base price', () => {
    const saved = monthlySavings({
      model: 'us.amazon.nova-pro-v1:0',
      inputTokens: 1000,
      outputTokens: 500,
      callsPerDay: 1000,
      hitRate: 0.5,
    });
    expect(saved).toBeCloseTo(((1000 * 0.8 + 500 * 3.2) / 1e6) * 1000 * 30 * 0.5, 6);
  });

  it('says null for an unknown model instead of inventing a price', () => {
    expect(
      monthlySavings({
        model: 'acme.unknown-v1',
        inputTokens: 1,
        outputTokens: 1,
        callsPerDay: 1,
        hitRate: 1,
      }),
    ).toBeNull();
  });
});
