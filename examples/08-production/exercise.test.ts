import { CacheStats } from '@prompt-cache/core';
import { snapshotFromFields } from '@prompt-cache/core/store-kit';
import { describe, expect, it } from 'vitest';
import { solution } from '../solution-switch.ts';

const { alertsFor } = await solution<typeof import('./exercise.ts')>('08-production', import.meta.url);

interface Traffic {
  hits: number;
  misses: number;
  errors?: number;
  /** How long a hit and a miss take, in ms. */
  hitMs?: number;
  missMs?: number;
  /** What the questions that hit, and those that missed, cost per call. */
  hitUsd?: number;
  missUsd?: number;
}

/** A snapshot made the way a cache makes it: hits, misses and errors recorded into core's CacheStats. */
function snapshotOf(traffic: Traffic) {
  const { hitMs = 0.5, missMs = 1200, hitUsd = 0.00005, missUsd = 0.00005 } = traffic;
  const stats = new CacheStats();
  for (let i = 0; i < traffic.hits; i++)
    stats.recordHit(`hit-${i}`, hitMs, { costUsd: hitUsd, latencyMs: missMs });
  for (let i = 0; i < traffic.misses; i++) stats.recordMiss(`miss-${i}`, missMs, { costUsd: missUsd });
  for (let i = 0; i < (traffic.errors ?? 0); i++) stats.recordError('get', new Error('ECONNREFUSED'));
  return stats.snapshot();
}

const names = (traffic: Traffic) => alertsFor(snapshotOf(traffic)).map((alert) => alert.name);

describe('exercise 8: your alerts', () => {
  it('raises nothing for a healthy cache', () => {
    expect(alertsFor(snapshotOf({ hits: 900, misses: 100, errors: 2 }))).toEqual([]);
  });

  it('raises low-hit-rate below the target, and at exactly 70% (the target is "> 70%")', () => {
    expect(names({ hits: 60, misses: 40, hitUsd: 0.001, missUsd: 0.0001 })).toEqual(['low-hit-rate']);
    expect(names({ hits: 70, misses: 30, hitUsd: 0.001, missUsd: 0.0001 })).toEqual(['low-hit-rate']);
    expect(names({ hits: 71, misses: 29 })).toEqual([]);
  });

  it('raises high-error-rate at 1% of lookups or more', () => {
    expect(names({ hits: 90, misses: 10, errors: 2 })).toEqual(['high-error-rate']);
    expect(names({ hits: 90, misses: 10, errors: 1 })).toEqual(['high-error-rate']);
    expect(names({ hits: 180, misses: 20, errors: 1 })).toEqual([]);
  });

  it('raises slow-hits when hits are not more than 5x faster than misses', () => {
    expect(names({ hits: 90, misses: 10, hitMs: 300, missMs: 1000 })).toEqual(['slow-hits']);
    expect(names({ hits: 90, misses: 10, hitMs: 20, missMs: 1000 })).toEqual([]);
  });

  it('raises low-cost-reduction when the hits are the cheap questions', () => {
    // 80% hits, but the 20 misses are the expensive calls: the cache saves little money.
    expect(names({ hits: 80, misses: 20, hitUsd: 0.00001, missUsd: 0.001 })).toEqual(['low-cost-reduction']);
  });

  it('raises every alert, in order, with its value, target and a message', () => {
    const alerts = alertsFor(
      snapshotOf({
        hits: 30,
        misses: 70,
        errors: 5,
        hitMs: 400,
        missMs: 1000,
        hitUsd: 0.0001,
        missUsd: 0.0001,
      }),
    );
    expect(alerts.map((alert) => alert.name)).toEqual([
      'low-hit-rate',
      'high-error-rate',
      'slow-hits',
      'low-cost-reduction',
    ]);
    expect(alerts[0]).toMatchObject({ value: 0.3, target: 0.7 });
    expect(alerts[1]).toMatchObject({ value: 0.05, target: 0.01 });
    expect(alerts[2]?.value).toBeGreaterThan(2);
    expect(alerts[2]?.value).toBeLessThan(3);
    expect(alerts[2]?.target).toBe(5);
    expect(alerts[3]?.value).toBeCloseTo(0.3, 6);
    expect(alerts[3]?.target).toBe(0.5);
    for (const alert of alerts) expect(alert.message).toMatch(/\w/);
  });

  it('stays quiet with too little traffic to judge', () => {
    const terrible = snapshotOf({ hits: 9, misses: 90, errors: 50, hitMs: 900, missMs: 1000 });
    expect(alertsFor(terrible)).toEqual([]);
    expect(alertsFor(terrible, { minLookups: 10 }).length).toBe(4);
  });

  it('works on shared statistics (as Redis and the file store keep them), without latency samples', () => {
    const shared = snapshotFromFields({ hits: 50, misses: 50, errors: 0, savedUsd: 0.5, spentUsd: 0.5 });
    expect(alertsFor(shared).map((alert) => alert.name)).toEqual(['low-hit-rate', 'low-cost-reduction']);
  });
});
