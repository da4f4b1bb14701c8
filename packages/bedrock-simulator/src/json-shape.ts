/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field as a string, or `undefined`. */
export function stringField(object: JsonObject, name: string): string | undefined {
  const value = object[name];
  return typeof value === 'string' ? value : undefined;
}

/** Whether a request asks for reasoning ("thinking"), under any of the names models use. */
export function wantsReasoning(fields: unknown): boolean {
  if (!isJsonObject(fields)) return false;
  for (const [key, value] of Object.entries(fields)) {
    if (!/think|reason/i.test(key)) continue;
    if (value === true) return true;
    if (typeof value === 'string') return value !== 'none' && value !== 'disabled';
    if (isJsonObject(value)) {
      if (value.type === 'disabled' || value.enabled === false) return false;
      return true;
    }
  }
  return false;
}
