/** Where the cache reads the time. Inject a fake one in tests instead of sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real clock: `Date.now()`. */
export const systemClock: Clock = { now: () => Date.now() };
