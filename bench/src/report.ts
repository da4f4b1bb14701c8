import type { CellValue, Column, ColumnFormat, ResultRow, SuiteResult } from './suite.js';

export const formatNs = (ns: number) =>
  ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(2)} µs`
      : `${ns.toFixed(0)} ns`;

export const formatRate = (ops: number) =>
  ops >= 1e6
    ? `${(ops / 1e6).toFixed(2)} M/s`
    : ops >= 1e3
      ? `${(ops / 1e3).toFixed(1)} k/s`
      : `${ops.toFixed(1)}/s`;

/** Writes one value the way its column says. */
export function formatValue(value: CellValue, format: ColumnFormat): string {
  if (value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  switch (format) {
    case 'ns':
      return formatNs(value);
    case 'rate':
      return formatRate(value);
    case 'ratio':
      return `${value.toFixed(2)}x`;
    case 'count':
      return value.toLocaleString('en-US');
    case 'percent':
      return `${(value * 100).toFixed(1)}%`;
    case 'usd':
      return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toPrecision(3)}`;
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`;
    default:
      return String(value);
  }
}

const DEFAULT_COLUMNS: Column[] = [
  { id: 'medianNs', title: 'median', format: 'ns' },
  { id: 'opsPerSecond', title: 'throughput', format: 'rate' },
  { id: 'ratio', title: 'ratio', format: 'ratio' },
  { id: 'note', title: 'note', format: 'text' },
];

function cellOf(row: ResultRow, column: Column): CellValue {
  switch (column.id) {
    case 'medianNs':
      return row.medianNs;
    case 'opsPerSecond':
      return row.opsPerSecond;
    case 'ratio':
      return row.ratio;
    case 'note':
      return row.note;
    default:
      return row.cells?.[column.id];
  }
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A suite's table alone, as markdown. */
export function tableToMarkdown(suite: SuiteResult): string[] {
  const columns = suite.columns ?? DEFAULT_COLUMNS;
  const alignOf = (column: Column) => (column.format === 'text' ? '---' : '---:');
  const lines = [
    `| | ${columns.map((column) => column.title).join(' | ')} |`,
    `|---|${columns.map(alignOf).join('|')}|`,
  ];
  for (const row of suite.rows) {
    const cells = columns.map((column) => escapeCell(formatValue(cellOf(row, column), column.format)));
    lines.push(`| ${escapeCell(row.label)} | ${cells.join(' | ')} |`);
  }
  return lines;
}

/** A suite as a markdown section (the console prints the same text). */
export function suiteToMarkdown(suite: SuiteResult, heading = '###'): string {
  const lines = [`${heading} ${suite.title}`, ''];
  if (suite.skipped) return [...lines, `Skipped: ${suite.skipped}`, ''].join('\n');
  if (suite.reference) lines.push(`Ratio against: ${suite.reference}.`, '');
  lines.push(...tableToMarkdown(suite), '');
  for (const note of suite.notes ?? []) lines.push(note, '');
  if (suite.verdicts.length) lines.push(...suite.verdicts.map((verdict) => `- ${verdict}`), '');
  return lines.join('\n');
}
