import type { Clock } from '../clock.js';

/** A clock that moves only when told to, so TTL tests never sleep. */
export interface FakeClock extends Clock {
  /** Moves the time forward by `milliseconds`. */
  advance(milliseconds: number): void;
  /** Sets the time (epoch ms). */
  set(epochMilliseconds: number): void;
}

/** Starts at `start` (default: the real current time, so stores with native TTL stay in range). */
export function createFakeClock(start = Date.now()): FakeClock {
  let now = start;
  return {
    now: () => now,
    advance: (milliseconds) => {
      now += milliseconds;
    },
    set: (epochMilliseconds) => {
      now = epochMilliseconds;
    },
  };
}
