// Reference solution for exercise 8. Try the exercise before reading this.
import type { StatsSnapshot } from '@prompt-cache/core';
import type { Alert } from '../08-production/exercise.ts';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function alertsFor(snapshot: StatsSnapshot, options: { minLookups?: number } = {}): Alert[] {
  const lookups = snapshot.hits + snapshot.misses;
  if (lookups < (options.minLookups ?? 100)) return [];
  const alerts: Alert[] = [];

  if (snapshot.hitRate <= 0.7) {
    alerts.push({
      name: 'low-hit-rate',
      value: snapshot.hitRate,
      target: 0.7,
      message: `hit rate ${percent(snapshot.hitRate)} is not above the 70% target`,
    });
  }

  const errorRate = snapshot.errors / lookups;
  if (errorRate >= 0.01) {
    alerts.push({
      name: 'high-error-rate',
      value: errorRate,
      target: 0.01,
      message: `${snapshot.errors} cache errors in ${lookups} lookups (${percent(errorRate)}) is not below the 1% target`,
    });
  }

  const { hit, miss } = snapshot.latency;
  if (hit.p50 !== null && miss.p50 !== null && hit.p50 > 0) {
    const speedup = miss.p50 / hit.p50;
    if (speedup <= 5) {
      alerts.push({
        name: 'slow-hits',
        value: speedup,
        target: 5,
        message: `hits are only ${speedup.toFixed(1)}x faster than misses (p50 ${hit.p50.toFixed(1)} ms vs ${miss.p50.toFixed(1)} ms); the target is more than 5x`,
      });
    }
  }

  const billed = snapshot.savedUsd + snapshot.spentUsd;
  if (billed > 0) {
    const reduction = snapshot.savedUsd / billed;
    if (reduction <= 0.5) {
      alerts.push({
        name: 'low-cost-reduction',
        value: reduction,
        target: 0.5,
        message: `the cache saved ${percent(reduction)} of the model cost; the target is more than 50%`,
      });
    }
  }
  return alerts;
}
