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
}

export interface SuiteContext {
  quick: boolean;
}

export interface Suite {
  id: string;
  title: string;
  run(context: SuiteContext): Promise<SuiteResult>;
}
