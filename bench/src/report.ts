import type { SuiteResult } from './suite.js';

const formatNs = (ns: number) =>
  ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(2)} µs`
      : `${ns.toFixed(0)} ns`;
const formatRate = (ops: number) =>
  ops >= 1e6
    ? `${(ops / 1e6).toFixed(2)} M/s`
    : ops >= 1e3
      ? `${(ops / 1e3).toFixed(1)} k/s`
      : `${ops.toFixed(1)}/s`;

/** A suite as a markdown table (the console prints the same text). */
export function suiteToMarkdown(suite: SuiteResult): string {
  const lines = [`### ${suite.title}`, ''];
  if (suite.skipped) return [...lines, `Skipped: ${suite.skipped}`, ''].join('\n');
  if (suite.reference) lines.push(`Ratio against: ${suite.reference}.`, '');
  lines.push('| | median | throughput | ratio | note |', '|---|---:|---:|---:|---|');
  for (const row of suite.rows) {
    lines.push(
      `| ${row.label} | ${row.medianNs === undefined ? '' : formatNs(row.medianNs)} | ${
        row.opsPerSecond === undefined ? '' : formatRate(row.opsPerSecond)
      } | ${row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`} | ${row.note ?? ''} |`,
    );
  }
  lines.push('', ...suite.verdicts.map((verdict) => `- ${verdict}`), '');
  return lines.join('\n');
}
