import {
  Counter,
  type CounterConfiguration,
  type LabelValues,
  type Metric,
  type Registry,
} from 'prom-client';

/*
 * prom-client validates and hashes the labels on every increment and observation, which would cost each cache hit
 * more than its whole lookup. These metrics count per label set as plain numbers, known by a string id the
 * caller builds from the label values, and are read by the registry only when it is scraped.
 */

/** A counter whose increments are summed per label set and handed to prom-client at each scrape. */
export function bufferedCounter<Label extends string>(configuration: CounterConfiguration<Label>) {
  const pending = new Map<string, { labels: LabelValues<Label>; amount: number }>();
  new Counter<Label>({
    ...configuration,
    collect() {
      for (const { labels, amount } of pending.values()) this.inc(labels, amount);
      pending.clear();
    },
  });
  return {
    /** Adds `amount` to the label set `labels`, known by the string `id` (its values joined). */
    add(id: string, labels: LabelValues<Label>, amount = 1): void {
      const slot = pending.get(id);
      if (slot) slot.amount += amount;
      else pending.set(id, { labels, amount });
    },
  };
}

/** Options of {@link bufferedHistogram}. */
export interface BufferedHistogramConfiguration<Label extends string> {
  name: string;
  help: string;
  labelNames: readonly Label[];
  /** Upper bounds, ascending; `+Inf` is added. */
  buckets: readonly number[];
  registers: Registry[];
}

interface Series<Label extends string> {
  labels: LabelValues<Label>;
  /** Observations per bucket (not cumulative); the last slot is `+Inf`. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * A histogram kept as bucket counts per label set, exported in Prometheus' histogram format (`_bucket` with `le`,
 * `_sum`, `_count`), exactly as prom-client's own `Histogram` writes it. Unlike prom-client's, an observation is
 * one map lookup and two additions. Series are never dropped: keep the label values bounded.
 */
export function bufferedHistogram<Label extends string>(
  configuration: BufferedHistogramConfiguration<Label>,
) {
  const { name, help, buckets } = configuration;
  const series = new Map<string, Series<Label>>();
  const metric = {
    name,
    help,
    async get() {
      const values: { labels: LabelValues<string>; value: number; metricName: string }[] = [];
      for (const { labels, counts, sum, count } of series.values()) {
        let cumulative = 0;
        buckets.forEach((bound, index) => {
          cumulative += counts[index]!;
          values.push({ labels: { le: bound, ...labels }, value: cumulative, metricName: `${name}_bucket` });
        });
        values.push(
          { labels: { le: '+Inf', ...labels }, value: count, metricName: `${name}_bucket` },
          { labels: { ...labels }, value: sum, metricName: `${name}_sum` },
          { labels: { ...labels }, value: count, metricName: `${name}_count` },
        );
      }
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    },
    reset(): void {
      series.clear();
    },
  };
  // The registry needs only a name, `get()` and `reset()`; its type names prom-client's own classes.
  for (const registry of configuration.registers) registry.registerMetric(metric as unknown as Metric);
  return {
    /** Observes `value` for the label set `labels`, known by the string `id` (its values joined). */
    observe(id: string, labels: LabelValues<Label>, value: number): void {
      let slot = series.get(id);
      if (!slot) {
        slot = { labels, counts: new Float64Array(buckets.length + 1), sum: 0, count: 0 };
        series.set(id, slot);
      }
      let index = 0;
      while (index < buckets.length && value > buckets[index]!) index++;
      slot.counts[index]! += 1;
      slot.sum += value;
      slot.count += 1;
    },
  };
}
