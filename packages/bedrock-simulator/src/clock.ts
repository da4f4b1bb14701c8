/** Where the simulator reads the time. Inject a fake one in tests instead of sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Waits `milliseconds`. Injected so that tests and demos can control simulated latency. */
export type Sleep = (milliseconds: number) => Promise<void>;

/** The real `setTimeout`-based sleep. */
export const realSleep: Sleep = (milliseconds) =>
  new Promise((resolve) => {
    setTimeout(resolve, milliseconds);
  });
