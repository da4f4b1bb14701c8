/**
 * A short, one-line description of a bad value for an error message: `-1`, `"abc"`, `null`, `nothing`,
 * `an array`, `an object`. Internal; not exported from the package.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
