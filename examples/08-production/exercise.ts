// Exercise 8: alerts from the statistics.
//
// The course's targets: hit rate > 70%, error rate < 1%, hits > 5x faster than misses, cost reduction > 50%.
// Write `alertsFor(snapshot)`: one alert for each figure that misses its target, in this order:
//   'low-hit-rate'        snapshot.hitRate, target 0.7: alert when hitRate <= 0.7 (exactly 70% is not "> 70%")
//   'high-error-rate'     errors / (hits + misses), target 0.01: alert when >= 0.01
//   'slow-hits'           latency.miss.p50 / latency.hit.p50, target 5: alert when <= 5;
//                         no alert when either p50 is null (no samples yet)
//   'low-cost-reduction'  savedUsd / (savedUsd + spentUsd), target 0.5: alert when <= 0.5;
//                         no alert when savedUsd + spentUsd is 0 (no prices known)
// Each alert has its `name`, the measured `value`, the `target`, and a `message` in words for a human,
// e.g. "hit rate 45% is not above the 70% target".
// With fewer than `minLookups` lookups (hits + misses; default 100), return no alerts at all: too little
// traffic to judge. The snapshot is core's `StatsSnapshot`: `cache.snapshot()`, `cache.stats.snapshot()`,
// or the shared figures of a Redis or file store. Then run:  pnpm exercise 08-production
import type { StatsSnapshot } from '@prompt-cache/core';

export type AlertName = 'low-hit-rate' | 'high-error-rate' | 'slow-hits' | 'low-cost-reduction';

export interface Alert {
  name: AlertName;
  value: number;
  target: number;
  message: string;
}

export function alertsFor(snapshot: StatsSnapshot, options: { minLookups?: number } = {}): Alert[] {
  void snapshot;
  void options;
  throw new Error('Exercise 8: implement alertsFor in examples/08-production/exercise.ts');
}
