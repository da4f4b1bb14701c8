import type { Clock } from '@prompt-cache/core';
import { StoreUnavailableError } from '@prompt-cache/core/store-kit';

/** A command skipped because the breaker is open: Redis failed a moment ago and has not answered a probe since. */
export class BreakerOpenError extends StoreUnavailableError {}

/** `closed`: every command goes to Redis. `open`: commands are skipped until a background probe succeeds. */
export type BreakerState = 'closed' | 'open';

/** What the breaker did so far, for stats, metrics and tests. */
export interface BreakerSnapshot {
  state: BreakerState;
  /** Commands that failed with Redis unreachable, paused or refusing. */
  failures: number;
  /** Commands skipped at once while the breaker was open. */
  skipped: number;
  /** Times the breaker opened. */
  opened: number;
  /** Background probes sent, and how many of them failed. */
  probes: number;
  failedProbes: number;
  /** When the breaker last opened (epoch ms, the store's clock); `null` while it never has. */
  openedAt: number | null;
  /** The message of the failure that opened it; `null` when closed. */
  lastError: string | null;
}

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** First wait before a probe, in ms; doubled after each failed probe. */
  backoffMs: number;
  /** Longest wait between two probes, in ms. */
  maxBackoffMs: number;
  /** Sends one probe (a PING bounded by the command timeout); rejects when Redis is still not answering. */
  probe: () => Promise<void>;
  clock: Clock;
  /** Schedules the next probe. Default an unreferenced `setTimeout`. */
  schedule?: (run: () => void, delayMs: number) => { cancel(): void };
}

/**
 * A circuit breaker for one store: after a command fails because Redis is down, paused or refusing, the store
 * skips Redis (each call fails at once, and the cache computes) and probes it in the background, backing off,
 * until a probe answers. So while Redis hangs, only the calls already waiting pay a command timeout.
 */
export interface CircuitBreaker {
  /** Runs `command` unless the breaker is open; records how it went. */
  run<T>(command: () => Promise<T>): Promise<T>;
  /** Probes now (what the background timer does). Resolves with the state after the probe. */
  probe(): Promise<BreakerState>;
  /** Records a success that came from elsewhere (a PING by the owner), which closes the breaker. */
  succeeded(): void;
  snapshot(): BreakerSnapshot;
  /** Stops the background probes. */
  close(): void;
}

const unrefTimer = (run: () => void, delayMs: number) => {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const schedule = options.schedule ?? unrefTimer;
  const counts = { failures: 0, skipped: 0, opened: 0, probes: 0, failedProbes: 0 };
  let state: BreakerState = 'closed';
  let openedAt: number | null = null;
  let lastError: StoreUnavailableError | undefined;
  let backoffMs = options.backoffMs;
  let pending: { cancel(): void } | undefined;
  let probing: Promise<BreakerState> | undefined;
  let closed = false;

  const close = (): void => {
    state = 'closed';
    lastError = undefined;
    backoffMs = options.backoffMs;
    pending?.cancel();
    pending = undefined;
  };

  const scheduleProbe = (): void => {
    if (closed || pending) return;
    pending = schedule(() => {
      pending = undefined;
      void probe();
    }, backoffMs);
  };

  const open = (error: StoreUnavailableError): void => {
    lastError = error;
    if (state === 'open') return;
    state = 'open';
    counts.opened += 1;
    openedAt = options.clock.now();
    scheduleProbe();
  };

  const probe = (): Promise<BreakerState> => {
    probing ??= (async () => {
      counts.probes += 1;
      try {
        await options.probe();
        close();
      } catch {
        counts.failedProbes += 1;
        backoffMs = Math.min(options.maxBackoffMs, backoffMs * 2);
        if (state === 'open') scheduleProbe();
      } finally {
        probing = undefined;
      }
      return state;
    })();
    return probing;
  };

  return {
    async run(command) {
      if (state === 'open') {
        counts.skipped += 1;
        // The message of the failure that opened the breaker, word for word: a caller that reports each distinct
        // store error once (the CLI) reports the outage once; the class tells a skip apart.
        throw new BreakerOpenError(lastError?.message ?? '[store-redis] unavailable', { cause: lastError });
      }
      try {
        return await command();
      } catch (error) {
        if (error instanceof StoreUnavailableError) {
          counts.failures += 1;
          open(error);
        }
        throw error;
      }
    },
    probe,
    succeeded: () => {
      if (state === 'open') close();
    },
    snapshot: () => ({
      state,
      ...counts,
      openedAt,
      lastError: state === 'open' ? (lastError?.message ?? null) : null,
    }),
    close() {
      closed = true;
      pending?.cancel();
      pending = undefined;
    },
  };
}
