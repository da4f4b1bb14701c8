/** A held lock. Releasing twice is harmless. */
export interface LockHandle {
  release(): Promise<void>;
}

/**
 * The small lock interface behind single-flight. In one process the orchestrator coalesces by itself;
 * a store that is shared between processes (Redis) supplies a lock so that exactly one process computes.
 */
export interface CacheLock {
  /** Tries once to take the lock for `key`; `null` when someone else holds it. Expires after `ttlMs`. */
  acquire(key: string, ttlMs: number): Promise<LockHandle | null>;
  /** Resolves when the holder releases `key`, or after `timeoutMs`, whichever comes first. */
  waitForRelease(key: string, timeoutMs: number): Promise<void>;
}
