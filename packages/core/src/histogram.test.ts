import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BUCKETS, LatencyHistogram } from './histogram.js';

describe('LatencyHistogram', () => {
  it('gives percentiles within its 9% resolution', () => {
    const histogram = new LatencyHistogram();
    for (let index = 1; index <= 1000; index++) histogram.record(index);
    const summary = histogram.summary();
    expect(summary.count).toBe(1000);
    expect(summary.p50! / 500).toBeGreaterThan(0.91);
    expect(summary.p50! / 500).toBeLessThan(1.09);
    expect(summary.p95! / 950).toBeGreaterThan(0.91);
    expect(summary.p99! / 990).toBeLessThan(1.09);
    expect(summary.mean).toBeCloseTo(500.5, 5);
  });

  it('gives exact percentiles while the sample is small, and says which it shows', () => {
    const histogram = new LatencyHistogram();
    for (const value of [2120, 2140, 2140]) histogram.record(value);
    expect(histogram.summary()).toMatchObject({ count: 3, p50: 2140, p95: 2140, exact: true });
    for (let index = 0; index < 200; index++) histogram.record(100 + index);
    expect(histogram.summary().exact).toBe(false);
    const fromBuckets = new LatencyHistogram();
    fromBuckets.addBucket(90, 1);
    expect(fromBuckets.summary().exact).toBe(false);
  });

  it('keeps fixed memory whatever it records', () => {
    const histogram = new LatencyHistogram();
    for (const value of [0, 0.0001, 1e9, Number.MAX_VALUE]) histogram.record(value);
    expect(histogram.counts.length).toBe(HISTOGRAM_BUCKETS);
    expect(histogram.count).toBe(4);
  });

  it('is empty after reset', () => {
    const histogram = new LatencyHistogram();
    histogram.record(3);
    histogram.reset();
    expect(histogram.summary()).toEqual({
      count: 0,
      mean: null,
      p50: null,
      p95: null,
      p99: null,
      exact: true,
    });
  });
});
