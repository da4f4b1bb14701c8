import type { RedisServerHandle } from '@prompt-cache/test-redis';
import { percentile } from '../measure.js';
import { COMMAND_TIMEOUT_MS, startRedisGateway } from './chaos-phase.js';
import { sleep } from './faults.js';
import { type GatewayClient, http1Client, http2Client } from './gateway-client.js';
import { readStoreView, type StoreView } from './gateway-view.js';
import { Ledger, type Operation, Questions, type Sample, steadyCaller } from './traffic.js';

export interface PausePhaseOptions {
  /** How long Redis stays stopped (SIGSTOP). */
  pauseSeconds: number;
  /** How long the load runs against a healthy Redis first, for the reference latencies. */
  baselineSeconds: number;
}

export interface PausePhaseResult {
  pauseSeconds: number;
  commandTimeoutMs: number;
  /** Requests started while Redis was stopped. */
  requestsDuringPause: number;
  failures: number;
  truncated: number;
  problems: string[];
  /** Latency of new questions (misses) while healthy, p50 and p99, and of every request while stopped, in ms. */
  healthyMissMs: { p50: number; p99: number };
  pausedMs: { p50: number; max: number };
  /** p50 of the latency the stopped Redis added: each request's time minus the healthy miss p50 of its operation. */
  addedP50Ms: number;
  /** The slowest request of the pause, over the healthy miss p50 and over the healthy miss p99 of its operation. */
  slowestOverP50Ms: number;
  slowestOverP99Ms: number;
  /** The slowest requests of the pause: their kind, time over the healthy p50, and start after the stop (ms). */
  slowest: Array<{ kind: string; addedMs: number; startedAfterMs: number }>;
  /** The store as the gateway reported it half-way through the pause, and after it. */
  storeDuring: StoreView;
  storeAfter: StoreView;
  /**
   * p50 added ≤ 50 ms; the slowest request at most one command timeout slower than a slow (p99) healthy miss,
   * so no request waited more than one timeout; no failed request, no truncated answer.
   */
  goalMet: boolean;
}

/**
 * The circuit breaker's goal: Redis stopped with SIGSTOP for `pauseSeconds` under a steady load. The simulator
 * answers at once, so a request's time is the gateway's and the store's own. While Redis is stopped every request
 * is a miss (a repeat too: the breaker trades hits for latency), so the reference is a miss with Redis healthy:
 * a new question of the same operation, measured in the `baselineSeconds` before the stop.
 */
export async function runPausePhase(
  redis: RedisServerHandle,
  options: PausePhaseOptions,
): Promise<PausePhaseResult> {
  const gateway = await startRedisGateway(redis, 0);
  const clients: GatewayClient[] = [http1Client(gateway.url), http2Client(gateway.url)];
  try {
    const ledger = new Ledger();
    const questions = new Questions('pause', 12);
    // Store the repeated questions first, so that repeats are hits while Redis is healthy.
    const stored = Array.from({ length: 24 }, () => questions.next());
    await Promise.all(
      OPERATIONS.flatMap((operation) =>
        stored.map(({ question, repeat }) => ledger.call(clients[0]!, operation, question, repeat)),
      ),
    );
    const before = ledger.tally.samples.length;
    let loading = true;
    const load = Promise.all(
      clients.flatMap((client) =>
        OPERATIONS.map((operation) => steadyCaller(ledger, client, operation, questions, () => loading, 25)),
      ),
    );
    await sleep(options.baselineSeconds * 1000);
    const pausedAt = performance.now();
    redis.pause();
    let storeDuring: StoreView;
    try {
      await sleep((options.pauseSeconds * 1000) / 2);
      storeDuring = await readStoreView(gateway.url);
      await sleep(pausedAt + options.pauseSeconds * 1000 - performance.now());
    } finally {
      redis.resume();
    }
    const resumedAt = performance.now();
    loading = false;
    await load;
    const storeAfter = await readStoreView(gateway.url);

    const samples = ledger.tally.samples.slice(before);
    const healthyMisses = samples.filter((sample) => sample.startedAt < pausedAt && !sample.repeat);
    const paused = samples.filter((sample) => sample.startedAt >= pausedAt && sample.startedAt < resumedAt);
    const reference = new Map(
      OPERATIONS.map((operation) => {
        const times = healthyMisses.filter((sample) => sample.operation === operation).map(msOf);
        return [operation, { p50: percentile(times, 0.5), p99: percentile(times, 0.99) }];
      }),
    );
    const added = paused.map((sample) => ({
      kind: `${sample.operation}/${sample.repeat ? 'repeat' : 'new'}`,
      addedMs: sample.ms - reference.get(sample.operation)!.p50,
      overP99Ms: sample.ms - reference.get(sample.operation)!.p99,
      startedAfterMs: sample.startedAt - pausedAt,
    }));
    const addedP50Ms = percentile(
      added.map((sample) => sample.addedMs),
      0.5,
    );
    const slowestOverP99Ms = Math.max(...added.map((sample) => sample.overP99Ms));
    const { failures, truncated, problems } = ledger.tally;
    const healthyTimes = healthyMisses.map(msOf);
    return {
      pauseSeconds: options.pauseSeconds,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      requestsDuringPause: paused.length,
      failures,
      truncated,
      problems,
      healthyMissMs: { p50: percentile(healthyTimes, 0.5), p99: percentile(healthyTimes, 0.99) },
      pausedMs: { p50: percentile(paused.map(msOf), 0.5), max: Math.max(...paused.map(msOf)) },
      addedP50Ms,
      slowestOverP50Ms: Math.max(...added.map((sample) => sample.addedMs)),
      slowestOverP99Ms,
      slowest: added
        .sort((a, b) => b.addedMs - a.addedMs)
        .slice(0, 3)
        .map(({ kind, addedMs, startedAfterMs }) => ({ kind, addedMs, startedAfterMs })),
      storeDuring,
      storeAfter,
      goalMet:
        paused.length > 0 &&
        addedP50Ms <= 50 &&
        slowestOverP99Ms <= COMMAND_TIMEOUT_MS &&
        failures === 0 &&
        truncated === 0,
    };
  } finally {
    for (const client of clients) client.close();
    await gateway.stop();
  }
}

const OPERATIONS: Operation[] = ['converse', 'converse-stream'];
const msOf = (sample: Sample) => sample.ms;
