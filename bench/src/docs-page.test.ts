import { describe, expect, it } from 'vitest';
import { benchmarksPage } from './docs-page.js';
import { describeMachine } from './machine.js';
import type { SuiteResult } from './suite.js';
import { barChartSvg } from './svg-chart.js';

const suite: SuiteResult = {
  id: 'hit-path',
  title: 'Hit path',
  reference: 'the key alone',
  rows: [
    { label: 'floor', medianNs: 1000, opsPerSecond: 1e6, ratio: 1 },
    { label: 'prompt-cache', medianNs: 1200, opsPerSecond: 833_333, ratio: 1.2, note: 'returns a copy' },
  ],
  goals: [{ goal: 'within 1.30x of the floor', met: true, detail: '1.20x' }],
  verdicts: ['within 1.30x of the floor: 1.20x — met'],
  chart: {
    title: 'Median <time> per hit',
    unit: 'ns',
    bars: [
      { label: 'floor', value: 1000 },
      { label: 'prompt-cache', value: 1200, highlight: true },
    ],
  },
};

describe('docs page', () => {
  it('lists the machine, the goals, each table and the chart', () => {
    const page = benchmarksPage({
      machine: describeMachine(),
      quick: false,
      results: [suite, { id: 'gateway', title: 'Gateway', rows: [], verdicts: [], skipped: 'not landed' }],
    });
    expect(page).toContain('## Machine and versions');
    expect(page).toContain('| hit-path | within 1.30x of the floor | 1.20x | met |');
    expect(page).toContain('| gateway | (suite skipped) | not landed | not measured |');
    expect(page).toContain('![Median <time> per hit](benchmarks-hit-path.svg)');
    expect(page).toContain('| prompt-cache | 1.20 µs | 833.3 k/s | 1.20x | returns a copy |');
  });

  it('draws the chart as plain, escaped SVG', () => {
    const svg = barChartSvg(suite.chart!, 'a caption');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Median &lt;time&gt; per hit');
    expect(svg.match(/<rect /g)).toHaveLength(3);
  });
});
