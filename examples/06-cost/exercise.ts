// Exercise 6: your own cost calculation.
//
// Write `monthlySavings` using @prompt-cache/pricing's `costOf`: given a model, the tokens of a typical
// call, the number of calls per day and the hit rate, return the USD saved per 30-day month by the cache
// (hits cost nothing). Return null when the model's price is unknown.
// Then run:  pnpm exercise 06-cost
export interface Workload {
  model: string;
  inputTokens: number;
  outputTokens: number;
  callsPerDay: number;
  hitRate: number;
}

export function monthlySavings(workload: Workload): number | null {
  void workload;
  throw new Error('Exercise 6: implement monthlySavings in examples/06-cost/exercise.ts');
}
