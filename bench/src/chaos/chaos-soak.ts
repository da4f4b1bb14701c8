import { startRedisServer } from '@prompt-cache/test-redis';
import { type ChaosPhaseResult, runChaosPhase } from './chaos-phase.js';
import { type PausePhaseResult, runPausePhase } from './pause-phase.js';

export interface ChaosSoakOptions {
  /** Length of the chaos phase. */
  seconds: number;
  /** Length of the SIGSTOP in the circuit-breaker phase. */
  pauseSeconds: number;
  /** Length of the healthy load before the SIGSTOP. */
  baselineSeconds: number;
  idleSockets: number;
}

export interface ChaosSoakResult {
  chaos: ChaosPhaseResult;
  pause: PausePhaseResult;
  /** No failed request and no truncated answer in either phase. */
  passed: boolean;
}

/**
 * `pnpm soak --chaos`: the built gateway on a redis-server of its own, first under chaos (Redis killed and paused,
 * streams cancelled, idle sockets), then through one long SIGSTOP that measures the circuit breaker. Every process
 * it starts is stopped by its pid, whatever happens.
 */
export async function runChaosSoak(options: ChaosSoakOptions): Promise<ChaosSoakResult> {
  const redis = await startRedisServer();
  try {
    const chaos = await runChaosPhase(redis, options);
    const pause = await runPausePhase(redis, options);
    const passed =
      chaos.tally.failures === 0 &&
      chaos.tally.truncated === 0 &&
      pause.failures === 0 &&
      pause.truncated === 0;
    return { chaos, pause, passed };
  } finally {
    await redis.stop();
  }
}
