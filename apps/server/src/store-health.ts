import { checkStore } from '@prompt-cache/app-kit';
import { type CacheStore, withTimeout } from '@prompt-cache/core';

/** Longest wait for the store to answer a check. */
const CHECK_TIMEOUT_MS = 2000;
/** How long a check's answer is trusted before `/v1/stats` asks again (in the background). */
const CHECK_MAX_AGE_MS = 5000;

/** The store as `/v1/stats` and the dashboard show it. */
export interface StoreState {
  /** `ok` when the last check answered and no error came after it, `unreachable` otherwise; `unknown` before a check. */
  state: 'ok' | 'unreachable' | 'unknown';
  /** Store errors since the start (each one a call that went to the model uncached, or an entry not stored). */
  errors: number;
  /** The last error, in one line; `null` when the store is fine. */
  message: string | null;
}

/**
 * Whether the shared store answers: checked at start (so the operator hears of a Redis that is down at once),
 * told of every error the caches count, and checked again, at most every 5 s, when the statistics are read.
 */
export class StoreHealth {
  private current: StoreState = { state: 'unknown', errors: 0, message: null };
  private checkedAt = 0;
  private checking: Promise<void> | undefined;

  constructor(private readonly store: CacheStore) {}

  /** Asks the store now. */
  check(): Promise<void> {
    this.checking ??= (async () => {
      try {
        await withTimeout(checkStore(this.store), CHECK_TIMEOUT_MS, `${this.store.name} check`);
        this.current = { ...this.current, state: 'ok', message: null };
      } catch (error) {
        this.current = { ...this.current, state: 'unreachable', message: oneLine(error) };
      } finally {
        this.checkedAt = Date.now();
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  /** Counts an error a cache met on the store. */
  recordError(error: unknown): void {
    this.current = { state: 'unreachable', errors: this.current.errors + 1, message: oneLine(error) };
  }

  /** The state as last known; starts a new check in the background when the last one is old. */
  snapshot(): StoreState {
    if (Date.now() - this.checkedAt > CHECK_MAX_AGE_MS) void this.check();
    return { ...this.current };
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}
