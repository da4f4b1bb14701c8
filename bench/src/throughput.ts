import { median } from './measure.js';

export interface ThroughputOptions {
  /** Length of one round, in ms. */
  durationMs: number;
  /** Rounds; each task's result is its median round. */
  rounds: number;
  /** Unmeasured run of each task before the first round, in ms. Default `durationMs / 2`. */
  warmupMs?: number;
}

/** One round of a task: runs for about `durationMs` and returns operations per second. */
export type ThroughputRound = (durationMs: number) => Promise<number>;

/**
 * A round of an asynchronous operation with `concurrency` calls in flight: that many workers each await one call
 * after another until the time is up (a closed loop, as `redis-benchmark -c N` does with N connections).
 */
export function closedLoop(operation: () => Promise<unknown>, concurrency: number): ThroughputRound {
  return async (durationMs) => {
    const started = performance.now();
    const deadline = started + durationMs;
    let completed = 0;
    const worker = async () => {
      while (performance.now() < deadline) {
        await operation();
        completed++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return (completed / (performance.now() - started)) * 1000;
  };
}

/**
 * Measures tasks side by side: a warm-up of each, then rounds in which every task runs once, in an order that
 * alternates from round to round, so that a change of load on the machine hits every task alike.
 * Returns each task's median round, in operations per second.
 */
export async function measureThroughputs(
  tasks: Record<string, ThroughputRound>,
  options: ThroughputOptions,
): Promise<Map<string, number>> {
  const names = Object.keys(tasks);
  for (const name of names) await tasks[name]!(options.warmupMs ?? options.durationMs / 2);
  const rates = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      rates.get(name)!.push(await tasks[name]!(options.durationMs));
    }
  }
  return new Map(names.map((name) => [name, median(rates.get(name)!)]));
}
