// Reference solution for exercise 6. Try the exercise before reading this.
import { costOf } from '@prompt-cache/pricing';
import type { Workload } from '../06-cost/exercise.ts';

export function monthlySavings(workload: Workload): number | null {
  const perCall = costOf(workload.model, {
    inputTokens: workload.inputTokens,
    outputTokens: workload.outputTokens,
  });
  return perCall === null ? null : perCall * workload.callsPerDay * 30 * workload.hitRate;
}
