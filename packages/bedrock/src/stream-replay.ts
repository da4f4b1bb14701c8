import { InvalidOptionError } from '@prompt-cache/core';
import type { RecordedEvent } from './recorded-response.js';

/**
 * How a cached stream is replayed: `'none'` sends every event at once, `'original'` keeps the recorded gaps
 * between events, and a number is a speed factor (`2` replays twice as fast as recorded, `0.5` half as fast).
 */
export type ReplayPacing = 'none' | 'original' | number;

/** Waits `milliseconds`. Injected so that tests never sleep. */
export type Sleep = (milliseconds: number) => Promise<void>;

/** The default {@link Sleep}: a timer. */
export const realSleep: Sleep = (milliseconds) =>
  new Promise((resolve) => {
    setTimeout(resolve, milliseconds);
  });

/** Checks a pacing option and returns its speed factor (`0` for no pacing). */
export function pacingFactor(pacing: ReplayPacing | undefined, where = 'replayPacing'): number {
  if (pacing === undefined || pacing === 'none') return 0;
  if (pacing === 'original') return 1;
  if (typeof pacing === 'number' && Number.isFinite(pacing) && pacing > 0) return pacing;
  throw new InvalidOptionError(
    `[bedrock] ${where} must be 'none', 'original' or a speed factor > 0 (2 = twice as fast); got ${JSON.stringify(pacing)}`,
  );
}

/** Options of {@link replayEvents}. */
export interface ReplayOptions {
  /** Default `'none'`. */
  pacing?: ReplayPacing;
  /** Default {@link realSleep}. */
  sleep?: Sleep;
  /** Stops the replay with an `AbortError` when it fires (the `abortSignal` given to `client.send`). */
  signal?: AbortSignal;
}

/**
 * Replays recorded events as an async iterable, consumed exactly like a live SDK stream. With pacing, each
 * event waits for its recorded gap after the one before (gaps under 1 ms are carried over, not slept).
 */
export function replayEvents<Event>(
  events: readonly RecordedEvent[],
  options: ReplayOptions = {},
): AsyncIterable<Event> {
  const factor = pacingFactor(options.pacing);
  const sleep = options.sleep ?? realSleep;
  const signal = options.signal;
  return {
    async *[Symbol.asyncIterator]() {
      let previousAtMs = 0;
      let owedMs = 0;
      for (const recorded of events) {
        if (factor > 0) {
          owedMs += Math.max(0, recorded.atMs - previousAtMs) / factor;
          previousAtMs = recorded.atMs;
          if (owedMs >= 1) {
            await sleep(owedMs);
            owedMs = 0;
          }
        }
        if (signal?.aborted) throw abortError(signal);
        yield recorded.event as Event;
      }
    },
  };
}

function abortError(signal: AbortSignal): Error {
  const error = new Error('[bedrock] the replay of a cached stream was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}
