// What the AI SDK returns holds Dates (`response.timestamp`), bytes (generated files) and, with ai 7, URLs (files
// given by address). Stores keep JSON, and core copies hits as plain data, so all three travel as tagged objects and
// are restored on the way out.
const DATE = '$prompt-cache:date';
const BYTES = '$prompt-cache:bytes';
const URL_TAG = '$prompt-cache:url';

/** A deep copy in which Dates, byte arrays and URLs are tagged JSON objects. */
export function toJsonSafe(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return { [DATE]: value.toISOString() };
  if (value instanceof Uint8Array) return { [BYTES]: Buffer.from(value).toString('base64') };
  if (value instanceof URL) return { [URL_TAG]: value.href };
  if (Array.isArray(value)) return value.map(toJsonSafe);
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) copy[key] = toJsonSafe(field);
  return copy;
}

/** Undoes {@link toJsonSafe}: tagged objects become Dates, `Uint8Array`s and URLs again. */
export function fromJsonSafe<T>(value: unknown): T {
  if (value === null || typeof value !== 'object') return value as T;
  if (Array.isArray(value)) return value.map((item) => fromJsonSafe(item)) as T;
  const record = value as Record<string, unknown>;
  if (typeof record[DATE] === 'string') return new Date(record[DATE]) as T;
  if (typeof record[BYTES] === 'string') return new Uint8Array(Buffer.from(record[BYTES], 'base64')) as T;
  if (typeof record[URL_TAG] === 'string') return new URL(record[URL_TAG]) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) copy[key] = fromJsonSafe(field);
  return copy as T;
}
