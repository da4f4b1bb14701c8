import { Bench } from 'tinybench';

export interface Measurement {
  name: string;
  /** Median time per operation, in nanoseconds: the median of each round's median. */
  medianNs: number;
  opsPerSecond: number;
  samples: number;
}

export interface MeasureOptions {
  /** Time per task per round, in ms. */
  timeMs: number;
  /** Rounds; task order alternates between rounds so that drift hits every task alike. */
  rounds: number;
}

/** Measures tasks side by side in one process: warm-up, several rounds, medians. */
export async function measure(
  tasks: Record<string, () => unknown>,
  options: MeasureOptions,
): Promise<Map<string, Measurement>> {
  const tiny = options.timeMs < 20;
  const names = Object.keys(tasks);
  const medians = new Map<string, number[]>(names.map((name) => [name, []]));
  const samples = new Map<string, number>(names.map((name) => [name, 0]));
  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({
      time: options.timeMs,
      warmup: true,
      // A full warm-up before the first round; later rounds only re-warm caches after the other tasks ran.
      warmupTime: Math.min(round === 0 ? 200 : 50, options.timeMs),
      // A smoke test wants a handful of calls per task, not tinybench's 64-call minimum.
      ...(tiny ? { iterations: 4, warmupIterations: 2 } : {}),
    });
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) bench.add(name, tasks[name]!);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result as {
        latency?: { p50?: number; samplesCount?: number };
        state?: string;
        error?: unknown;
      };
      if (result.error) throw result.error;
      medians.get(task.name)!.push((result.latency?.p50 ?? Number.NaN) * 1e6);
      samples.set(task.name, samples.get(task.name)! + (result.latency?.samplesCount ?? 0));
    }
  }
  return new Map(
    names.map((name) => {
      const medianNs = median(medians.get(name)!);
      return [name, { name, medianNs, opsPerSecond: 1e9 / medianNs, samples: samples.get(name)! }];
    }),
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The `fraction` percentile (0..1) of `values` by the nearest-rank method; `NaN` when there are none. */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

/** Time per task and rounds for a latency suite: full, quick (`--quick`) or tiny (smoke test). */
export function latencyTiming(
  context: { quick: boolean; tiny?: boolean },
  // Many short rounds rather than a few long ones: on a shared machine, a burst of load then spoils a few
  // rounds of one task, and the median of ten rounds shrugs them off.
  full: MeasureOptions = { timeMs: 500, rounds: 10 },
): MeasureOptions {
  if (context.tiny) return { timeMs: 5, rounds: 1 };
  if (context.quick) return { timeMs: Math.min(200, full.timeMs), rounds: 2 };
  return full;
}
