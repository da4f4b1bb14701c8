import { createHash } from 'node:crypto';
import { KeyMaterialTooDeepError, PromptCacheError } from './errors.js';

/**
 * Canonical JSON: the same value always gives the same text, whatever the order of its object keys.
 * - object keys sorted by code unit; `undefined`, functions and symbols dropped (as JSON does);
 * - numbers in JavaScript's shortest round-trip form, `-0` as `0`; `NaN` and `±Infinity` as bare
 *   tokens, so they never collide with `null`; bigints as `<digits>n`;
 * - `Uint8Array` / `Buffer` / `ArrayBuffer` as `#bytes(<length>,<sha256 hex>)`: hashed as bytes, never
 *   stringified, so two images that differ in one byte give two keys;
 * - `Date` through `toJSON`, `Map` as a sorted list of pairs, `Set` as a sorted list.
 * The bare tokens are not valid JSON on purpose: no JSON value can produce them.
 * `omitTopLevel` leaves fields of a top-level plain object out without copying it.
 */
export function canonicalJson(value: unknown, omitTopLevel?: ReadonlySet<string>): string {
  if (omitTopLevel?.size && isPlainObject(value)) return writePlainObject(value, [value], omitTopLevel);
  return write(value, []);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function write(value: unknown, path: object[]): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      // `-0` and `0` alike; NaN and ±Infinity come out as their bare names.
      return value === 0 ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `${value}n`;
    case 'object':
      return value === null ? 'null' : writeObject(value, path);
    default:
      return 'null'; // undefined, function and symbol; dropped from objects before we get here
  }
}

/** The deepest nesting the key code follows; far beyond any real request, far below the stack's limit. */
export const MAX_KEY_DEPTH = 256;

function writeObject(value: object, path: object[]): string {
  if (path.length >= MAX_KEY_DEPTH) throw new KeyMaterialTooDeepError(MAX_KEY_DEPTH);
  // The objects being written, outermost first: a short array beats a Set at the depths requests have.
  if (path.includes(value))
    throw new PromptCacheError('INVALID_KEY_MATERIAL', '[core] key material is circular');
  if (ArrayBuffer.isView(value)) return writeBytes(value);
  if (value instanceof ArrayBuffer) return writeBytes(new Uint8Array(value));
  path.push(value);
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += write(value[index], path);
    }
    text += ']';
  } else if (value instanceof Map) {
    text = `#map${writeSorted([...value].map(([key, item]) => `[${write(key, path)},${write(item, path)}]`))}`;
  } else if (value instanceof Set) {
    text = `#set${writeSorted([...value].map((item) => write(item, path)))}`;
  } else if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    text = write((value as { toJSON(): unknown }).toJSON(), path);
  } else {
    text = writePlainObject(value as Record<string, unknown>, path);
  }
  path.pop();
  return text;
}

function writePlainObject(
  value: Record<string, unknown>,
  path: object[],
  omit?: ReadonlySet<string>,
): string {
  const keys = sortKeys(Object.keys(value));
  let text = '{';
  let first = true;
  for (const key of keys) {
    if (omit?.has(key)) continue;
    const item = value[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    text += first ? '' : ',';
    text += quotedKey(key);
    text += write(item, path);
    first = false;
  }
  return `${text}}`;
}

// Text that JSON writes unchanged between quotes: no quote, backslash, control character or surrogate
// (a lone surrogate is escaped by JSON.stringify; pairs are left to it too, which keeps this test simple).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** The string as JSON.stringify writes it; most prompt text needs no escaping, and is then not copied. */
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * Sorts object keys by code unit, in place, as `Array.prototype.sort` would: an insertion sort, because
 * objects in requests have a handful of keys, often already in order, and the built-in sort costs more
 * to call than the few comparisons these need. Larger objects go to the built-in sort.
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index]!;
    let at = index - 1;
    if (keys[at]! <= key) continue;
    while (at >= 0 && keys[at]! > key) {
      keys[at + 1] = keys[at]!;
      at--;
    }
    keys[at + 1] = key;
  }
  return keys;
}

// Requests reuse a small vocabulary of field names; quoting each once saves work on every key derived.
const QUOTED_KEYS_MAX = 1_000;
const quotedKeys = new Map<string, string>();

/** `"key":`, from a bounded memo of the names seen so far. */
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < QUOTED_KEYS_MAX && key.length <= 64) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function writeSorted(parts: string[]): string {
  return `[${parts.sort().join(',')}]`;
}

function writeBytes(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return `#bytes(${bytes.byteLength},${createHash('sha256').update(bytes).digest('hex')})`;
}
