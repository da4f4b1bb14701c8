import type { RedisServerHandle } from '@prompt-cache/test-redis';
import { startGatewayProcess } from '../gateway-process.js';
import { percentile } from '../measure.js';
import { holdIdleSockets, type RedisFaults, redisFaultCycle } from './faults.js';
import { type GatewayClient, http1Client, http2Client } from './gateway-client.js';
import { readStoreView, residentMiB, type StoreView } from './gateway-view.js';
import { cancellingCaller, Ledger, Questions, steadyCaller, type TrafficTally } from './traffic.js';

/** The store's command timeout the gateways run with (store-redis's default, named so the goal can cite it). */
export const COMMAND_TIMEOUT_MS = 500;

/** A Redis-backed `prompt-cache serve` on `redis`, with its in-process simulator answering after `latencyMs`. */
export function startRedisGateway(redis: RedisServerHandle, simulatorLatencyMs: number) {
  return startGatewayProcess(
    ['--simulator-latency', String(simulatorLatencyMs), '--cache-type', 'redis', '--redis-url', redis.url],
    { PROMPT_CACHE_REDIS_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) },
  );
}

export interface ChaosPhaseOptions {
  seconds: number;
  /** Sockets held open without finishing a request. */
  idleSockets: number;
}

export interface ChaosPhaseResult {
  seconds: number;
  tally: TrafficTally;
  latencyMs: { p50: number; p99: number; max: number };
  /** The gateway's resident memory after the warm-up, every sixth of the run, and at the end. */
  rssMiB: { before: number; during: number[]; after: number };
  faults: RedisFaults;
  /** Idle sockets held, and how many times the gateway closed one (each was reopened). */
  idle: { held: number; closedByGateway: number };
  store: StoreView;
  /** The end of what the gateway wrote to stderr (its notices and logged errors). */
  gatewayLog: string;
}

/**
 * A steady load of Converse and ConverseStream calls (half repeats, half new questions, over HTTP/1.1 and HTTP/2)
 * while Redis is killed, restarted, paused and resumed, callers hang up on shared streams, and idle sockets are
 * held open. The simulator streams an answer over about half a second, so hang-ups land mid-answer.
 */
export async function runChaosPhase(
  redis: RedisServerHandle,
  options: ChaosPhaseOptions,
): Promise<ChaosPhaseResult> {
  const gateway = await startRedisGateway(redis, 20);
  const clients: [GatewayClient, GatewayClient] = [http1Client(gateway.url), http2Client(gateway.url)];
  try {
    const origin = performance.now();
    const ledger = new Ledger(origin);
    const questions = new Questions('chaos');
    // Warm-up, so that the first memory figure includes the code paths under test.
    for (const client of clients) {
      await ledger.call(client, 'converse', 'warm-up', true);
      await ledger.call(client, 'converse-stream', 'warm-up', true);
    }
    const rssBefore = residentMiB(gateway.pid);
    const deadline = Date.now() + options.seconds * 1000;
    const running = () => Date.now() < deadline;
    const idle = holdIdleSockets(gateway.url, options.idleSockets);
    const during: number[] = [];
    const sampler = setInterval(() => during.push(residentMiB(gateway.pid)), (options.seconds * 1000) / 6);
    const [faults] = await Promise.all([
      redisFaultCycle(redis, running, origin),
      ...clients.flatMap((client) => [
        steadyCaller(ledger, client, 'converse', questions, running, 50),
        steadyCaller(ledger, client, 'converse-stream', questions, running, 50),
      ]),
      cancellingCaller(ledger, clients, running),
    ]);
    clearInterval(sampler);
    const closedByGateway = idle.close();
    const store = await readStoreView(gateway.url);
    const latencies = ledger.tally.samples.map((sample) => sample.ms);
    return {
      seconds: options.seconds,
      tally: ledger.tally,
      latencyMs: {
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: Math.max(...latencies),
      },
      rssMiB: { before: rssBefore, during, after: residentMiB(gateway.pid) },
      faults,
      idle: { held: options.idleSockets, closedByGateway },
      store,
      gatewayLog: gateway.stderrTail(),
    };
  } finally {
    for (const client of clients) client.close();
    await gateway.stop();
  }
}
