/**
 * Counters kept outside the process: a flat map of numeric fields that can be added to atomically
 * (Redis HINCRBY / HINCRBYFLOAT, or a file rewritten under a lock). Histograms travel as bucket fields.
 */
export interface StatsBackend {
  /** Adds each delta to its field. */
  add(deltas: Record<string, number>): Promise<void>;
  /** Reads every field. */
  read(): Promise<Record<string, number>>;
  /** Sets every field back to zero. */
  reset(): Promise<void>;
}
