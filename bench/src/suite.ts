/** A value in a table cell: numbers are formatted by the column's `format`. */
export type CellValue = string | number | boolean | undefined;

/** One line of a results table. */
export interface ResultRow {
  label: string;
  /** Median per operation, in nanoseconds (lower is better), when the row is a latency. */
  medianNs?: number;
  /** Throughput, when the row is a rate. */
  opsPerSecond?: number;
  /** This row against the suite's reference row (the floor), e.g. 1.12 = 12% slower than the floor. */
  ratio?: number;
  /** Anything a reader must know to read the row right (copies or shared objects, wrong answers...). */
  note?: string;
  /** Values of the suite's own columns (see {@link SuiteResult.columns}), by column id. */
  cells?: Record<string, CellValue>;
}

/** How a column's numbers are written. */
export type ColumnFormat = 'ns' | 'rate' | 'ratio' | 'count' | 'percent' | 'usd' | 'ms' | 'text';

/** A column of a suite's own table. */
export interface Column {
  /** Key in {@link ResultRow.cells}; `medianNs`, `opsPerSecond`, `ratio` and `note` read the row's own fields. */
  id: string;
  title: string;
  format: ColumnFormat;
}

/** A goal from the issue, and whether this run met it. */
export interface Goal {
  /** The goal in words, e.g. `hit path within 1.30x of the floor`. */
  goal: string;
  /** `undefined` when it could not be measured in this run (a part not landed, a binary missing). */
  met: boolean | undefined;
  /** What was measured, e.g. `1.21x`. */
  detail: string;
}

/** A bar chart of one suite, drawn as SVG for docs/BENCHMARKS.md. */
export interface ChartData {
  /** What the bars measure, e.g. `median ns per hit (lower is better)`. */
  title: string;
  unit: ColumnFormat;
  bars: Array<{ label: string; value: number; highlight?: boolean }>;
}

export interface SuiteResult {
  id: string;
  title: string;
  /** What the ratio column compares against. */
  reference?: string;
  rows: ResultRow[];
  /** Goals and whether they were met, in words. */
  verdicts: string[];
  skipped?: string;
  /** The table's columns; without them: median, throughput, ratio, note. */
  columns?: Column[];
  /** The goals behind `verdicts`, structured (docs/BENCHMARKS.md lists them with met / not met). */
  goals?: Goal[];
  /** Sentences printed under the table: how it was measured, what was left out and why. */
  notes?: string[];
  /** Drawn as an SVG on a full run. */
  chart?: ChartData;
}

export interface SuiteContext {
  quick: boolean;
  /**
   * Smoke-test size: a handful of entries and a few milliseconds per task, so every suite runs in
   * seconds. The figures mean nothing; the shape of the result and the correctness checks do.
   */
  tiny?: boolean;
}

export interface Suite {
  id: string;
  title: string;
  run(context: SuiteContext): Promise<SuiteResult>;
}

/** A goal as the one-line verdict printed under a table. */
export function verdictOf(goal: Goal): string {
  const status = goal.met === undefined ? 'not measured' : goal.met ? 'met' : 'NOT met';
  return `${goal.goal}: ${goal.detail} — ${status}`;
}

/** A suite that could not run here, with the reason in one line. */
export function skippedResult(suite: Pick<Suite, 'id' | 'title'>, reason: string): SuiteResult {
  return { id: suite.id, title: suite.title, rows: [], verdicts: [], skipped: reason };
}

/** A latency row against the suite's floor: its median, its throughput and the ratio of the two medians. */
export function latencyRow(
  label: string,
  measured: { medianNs: number; opsPerSecond: number },
  floor: { medianNs: number },
  note: string,
): ResultRow & { medianNs: number; opsPerSecond: number; ratio: number } {
  return {
    label,
    medianNs: measured.medianNs,
    opsPerSecond: measured.opsPerSecond,
    ratio: measured.medianNs / floor.medianNs,
    note,
  };
}
