import type { ChaosSoakResult } from './chaos-soak.js';
import type { StoreView } from './gateway-view.js';

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (value: number) => `${value.toFixed(1)} MiB`;
const storeLine = (view: StoreView) =>
  `errors ${Object.entries(view.storeErrors)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ')}; breaker ${view.storeBreaker ?? 'none'}`;

/** The closing note of `pnpm soak --chaos`, one figure a line. */
export function formatChaosReport({ chaos, pause, passed }: ChaosSoakResult): string[] {
  const { tally } = chaos;
  const lines = [
    `chaos soak: ${chaos.seconds} s against the built prompt-cache serve, Redis store, simulator upstream`,
    `  faults: Redis killed and restarted ${chaos.faults.kills}x, paused (SIGSTOP) ${chaos.faults.pauses}x; ` +
      `streams hung up mid-answer: ${tally.hangUps['HTTP/1.1']} over HTTP/1.1, ${tally.hangUps['HTTP/2']} over HTTP/2 (RST_STREAM); ` +
      `${chaos.idle.held} idle sockets held (closed by the gateway ${chaos.idle.closedByGateway}x, reopened)`,
    `  requests: ${tally.requests} (${tally.hits} hits, ${tally.misses} misses)`,
    `  failures: ${tally.failures} (goal 0)`,
    `  truncated answers: ${tally.truncated} (goal 0)`,
    `  latency: p50 ${ms(chaos.latencyMs.p50)}, p99 ${ms(chaos.latencyMs.p99)}, max ${ms(chaos.latencyMs.max)}`,
    `  gateway RSS: ${mib(chaos.rssMiB.before)} before, ${mib(chaos.rssMiB.after)} after ` +
      `(during: ${chaos.rssMiB.during.map((value) => value.toFixed(0)).join(', ')} MiB)`,
    `  store as the gateway reports it: ${storeLine(chaos.store)}`,
    `circuit breaker: Redis stopped (SIGSTOP) for ${pause.pauseSeconds} s under load, command timeout ${pause.commandTimeoutMs} ms`,
    `  requests during the pause: ${pause.requestsDuringPause}; failures: ${pause.failures}; truncated: ${pause.truncated}`,
    `  latency: a miss with Redis healthy p50 ${ms(pause.healthyMissMs.p50)}, p99 ${ms(pause.healthyMissMs.p99)}; ` +
      `with Redis stopped p50 ${ms(pause.pausedMs.p50)}, max ${ms(pause.pausedMs.max)}`,
    `  added latency: p50 ${ms(pause.addedP50Ms)} (goal <= 50 ms); slowest request ${ms(pause.slowestOverP99Ms)} over a ` +
      `healthy p99 miss (goal <= ${pause.commandTimeoutMs} ms, one command timeout), ${ms(pause.slowestOverP50Ms)} over a p50 one`,
    `  slowest: ${pause.slowest
      .map(
        (sample) =>
          `+${ms(sample.addedMs)} (${sample.kind}, started ${ms(sample.startedAfterMs)} after the stop)`,
      )
      .join('; ')}`,
    `  store half-way through the pause: ${storeLine(pause.storeDuring)}`,
    `  store after it: ${storeLine(pause.storeAfter)}`,
    `  goal ${pause.goalMet ? 'met' : 'NOT met'}`,
  ];
  for (const problem of tally.problems) lines.push(`  problem (chaos): ${problem}`);
  if (tally.problems.length > 0) {
    lines.push(`  faults: ${chaos.faults.timeline.join('; ')}`);
    lines.push(`  the gateway's stderr, last lines:`, ...chaos.gatewayLog.trim().split('\n').slice(-15));
  }
  for (const problem of pause.problems) lines.push(`  problem (breaker): ${problem}`);
  lines.push(passed ? 'chaos soak passed' : 'chaos soak FAILED: failed requests or truncated answers');
  return lines;
}
