import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { bufferedCounter, bufferedHistogram } from './buffered-metrics.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVATIONS: [string, string, number][] = [
  ['a', 'hit', 0.0004],
  ['a', 'hit', 0.001], // on a bound: counted in that bucket, as Prometheus' `le` says
  ['a', 'miss', 0.5],
  ['b', 'hit', 0.05],
  ['b', 'hit', 7], // past the last bound: only in +Inf
];

describe('buffered metrics', () => {
  it('write the same exposition as prom-client’s own Histogram', async () => {
    const own = new Registry();
    const reference = new Registry();
    const histogram = bufferedHistogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['model', 'status'],
      buckets: BUCKETS,
      registers: [own],
    });
    const prom = new Histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['model', 'status'],
      buckets: BUCKETS,
      registers: [reference],
    });
    for (const [model, status, seconds] of OBSERVATIONS) {
      histogram.observe(`${model}\u0000${status}`, { model, status }, seconds);
      prom.observe({ model, status }, seconds);
    }
    const text = await own.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain('latency_seconds_bucket{le="0.001",model="a",status="hit"} 2');
    expect(text).toContain('latency_seconds_count{model="b",status="hit"} 2');
  });

  it('sum increments per label set and hand them over at each scrape, once', async () => {
    const registry = new Registry();
    const counter = bufferedCounter({
      name: 'calls_total',
      help: 'Calls.',
      labelNames: ['route'],
      registers: [registry],
    });
    counter.add('a', { route: 'a' });
    counter.add('a', { route: 'a' }, 2);
    counter.add('b', { route: 'b' });
    expect(await registry.metrics()).toContain('calls_total{route="a"} 3');
    counter.add('a', { route: 'a' });
    const text = await registry.metrics();
    expect(text).toContain('calls_total{route="a"} 4');
    expect(text).toContain('calls_total{route="b"} 1');
    expect(registry.getSingleMetric('calls_total')).toBeInstanceOf(Counter);
  });

  it('empties on reset', async () => {
    const registry = new Registry();
    const histogram = bufferedHistogram({
      name: 'h',
      help: 'H.',
      labelNames: ['x'],
      buckets: BUCKETS,
      registers: [registry],
    });
    histogram.observe('1', { x: '1' }, 0.2);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('h_count');
  });
});
