import type { SeededRandom } from './deterministic-random.js';

/** How long simulated answers take. */
export interface LatencyOptions {
  /** Time before the first token (or before a non-streamed answer starts), in ms. Default: `500`. */
  firstTokenMs?: number;
  /** Time per output token after the first, in ms. Default: `10`. */
  perTokenMs?: number;
  /**
   * Relative jitter, derived from the request (so the same request always takes the same time):
   * `0.2` means each answer is between 80% and 120% of the nominal time. Default: `0.2`.
   */
  jitter?: number;
}

/** Resolved latency settings. */
export interface LatencySettings {
  firstTokenMs: number;
  perTokenMs: number;
  jitter: number;
}

/** The defaults: about 1 to 3 seconds for a typical simulated answer, so a cache hit is visibly faster. */
export const DEFAULT_LATENCY: LatencySettings = { firstTokenMs: 500, perTokenMs: 10, jitter: 0.2 };

/** Turns the `latency` option (`0`, a number of ms before the first token, or an object) into settings. */
export function resolveLatency(option: number | LatencyOptions | undefined): LatencySettings {
  if (option === undefined) return DEFAULT_LATENCY;
  if (typeof option === 'number') {
    return option <= 0
      ? { firstTokenMs: 0, perTokenMs: 0, jitter: 0 }
      : { ...DEFAULT_LATENCY, firstTokenMs: option };
  }
  return {
    firstTokenMs: Math.max(0, option.firstTokenMs ?? DEFAULT_LATENCY.firstTokenMs),
    perTokenMs: Math.max(0, option.perTokenMs ?? DEFAULT_LATENCY.perTokenMs),
    jitter: Math.min(1, Math.max(0, option.jitter ?? DEFAULT_LATENCY.jitter)),
  };
}

/** The latency planned for one answer. */
export interface LatencyPlan {
  /** Time before the first token, in ms. */
  firstTokenMs: number;
  /** Time per output token, in ms. */
  perTokenMs: number;
  /** First token plus all output tokens, in ms (what `metrics.latencyMs` reports). */
  totalMs: number;
}

/** Plans the latency of an answer of `outputTokens` tokens, with jitter drawn from `random`. */
export function planLatency(
  settings: LatencySettings,
  outputTokens: number,
  random: SeededRandom,
): LatencyPlan {
  const factor = 1 + (random.next() * 2 - 1) * settings.jitter;
  const firstTokenMs = Math.round(settings.firstTokenMs * factor);
  const perTokenMs = settings.perTokenMs * factor;
  return { firstTokenMs, perTokenMs, totalMs: Math.round(firstTokenMs + perTokenMs * outputTokens) };
}
