/**
 * Rounds to `digits` decimals, for numbers that people and JSON read: latencies to the microsecond (`3`), sums
 * of USD to 1e-12 (`12`), far below any real price, so that float drift (1e-18) never shows.
 */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
