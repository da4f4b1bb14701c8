import { round } from './round.js';

// A log-linear latency histogram with fixed memory: 8 buckets per power of two of microseconds
// (about 9% resolution) from 1 µs to about 70 minutes. Counts add up across processes, so the same
// buckets can live in Redis or a stats file and still give percentiles for the whole fleet.
const SUB_BUCKETS = 8;
export const HISTOGRAM_BUCKETS = 33 * SUB_BUCKETS;

/** Up to this many samples, percentiles are exact (computed from the samples themselves). */
export const EXACT_SAMPLES = 64;

/** Percentiles in milliseconds, or `null` when nothing was recorded. */
export interface LatencySummary {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /**
   * `true`: the percentiles are exact (a small sample, every value kept); `false`: they are estimated from
   * histogram buckets (the middle of a bucket, within about 9%), as for large samples and shared stats.
   */
  exact: boolean;
}

export function bucketOf(milliseconds: number): number {
  const micros = Math.max(1, milliseconds * 1000);
  return Math.min(HISTOGRAM_BUCKETS - 1, Math.floor(Math.log2(micros) * SUB_BUCKETS));
}

/** The geometric middle of a bucket, in milliseconds. */
function bucketMiddle(bucket: number): number {
  return 2 ** ((bucket + 0.5) / SUB_BUCKETS) / 1000;
}

export class LatencyHistogram {
  readonly counts = new Float64Array(HISTOGRAM_BUCKETS);
  count = 0;
  sum = 0;
  /** Every value while there are few of them (exact percentiles); `undefined` once there are too many. */
  private samples: number[] | undefined = [];

  record(milliseconds: number): number {
    const bucket = bucketOf(milliseconds);
    this.counts[bucket]! += 1;
    this.count += 1;
    this.sum += milliseconds;
    if (this.samples && this.samples.length < EXACT_SAMPLES) this.samples.push(milliseconds);
    else this.samples = undefined;
    return bucket;
  }

  addBucket(bucket: number, count: number): void {
    if (bucket < 0 || bucket >= HISTOGRAM_BUCKETS || !(count > 0)) return;
    this.samples = undefined; // counts without their values: only estimates from here on
    this.counts[bucket]! += count;
    this.count += count;
    this.sum += bucketMiddle(bucket) * count;
  }

  percentile(fraction: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(fraction * this.count));
    if (this.samples) return round([...this.samples].sort((a, b) => a - b)[rank - 1]!, 3);
    let seen = 0;
    for (let bucket = 0; bucket < HISTOGRAM_BUCKETS; bucket++) {
      seen += this.counts[bucket]!;
      if (seen >= rank) return round(bucketMiddle(bucket), 3);
    }
    return null;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      mean: this.count === 0 ? null : round(this.sum / this.count, 3),
      p50: this.percentile(0.5),
      p95: this.percentile(0.95),
      p99: this.percentile(0.99),
      exact: this.samples !== undefined,
    };
  }

  reset(): void {
    this.samples = [];
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
  }
}
