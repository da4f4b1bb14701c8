// Hits must hand out a copy the caller may change. For the JSON-shaped values a codec decodes to,
// walking the structure is several times cheaper than JSON.parse, which has to rescan every character;
// strings are immutable, so they are shared rather than copied.

/** A deep copy of JSON-shaped data (plain objects, arrays, primitives, typed arrays). */
export function cloneValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let index = 0; index < value.length; index++) copy[index] = cloneValue(value[index]);
    return copy as T;
  }
  if (ArrayBuffer.isView(value)) return (value as unknown as Uint8Array).slice() as T;
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    copy[key] = cloneValue((value as Record<string, unknown>)[key]);
  }
  return copy as T;
}

/** Freezes a value and everything in it, so a shared copy can never be changed by accident. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || ArrayBuffer.isView(value))
    return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
