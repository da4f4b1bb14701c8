import type { CacheEntry } from './entry.js';

/** What a second-stage lookup found: the entry of another request that answers this one. */
export interface SemanticMatch {
  /** The key of the entry that answers (not the key of the request asked). */
  key: string;
  /** The entry, as read from the store just now: an expired or deleted entry is never a match. */
  entry: CacheEntry;
  /** How close the two prompts are, 0..1. */
  similarity: number;
  /** The prompt text of the entry that answers, for explanations and dashboards. */
  matchedPrompt?: string;
}

/**
 * A second look after an exact miss (for example `@prompt-cache/semantic`). The orchestrator calls
 * `lookup` only after the exact key missed, so an exact hit never pays for it, and `remember` after it
 * stored an answer. A stage that throws or rejects is counted as an error and the call stays exact-only.
 */
export interface SemanticStage<Request> {
  /** An entry that answers `request`, read through `read` (the store), or `undefined`. */
  lookup(
    request: Request,
    key: string,
    read: (key: string) => Promise<CacheEntry | undefined>,
  ): Promise<SemanticMatch | undefined>;
  /** Learns a stored answer. Must not throw; slow work (an embedding) happens in the background. */
  remember(request: Request, key: string, value: unknown): void;
  /** Saves what is pending and releases what the stage holds (an index file, a Redis connection). Called by the cache's `close()`. */
  close?(): Promise<void>;
}
