/** The keywords this check reads; any JSON Schema object fits. */
interface Schema {
  type?: string | string[];
  properties?: Record<string, SchemaDefinition>;
  required?: string[];
  additionalProperties?: SchemaDefinition;
  items?: SchemaDefinition | SchemaDefinition[];
  enum?: unknown[];
  const?: unknown;
}
type SchemaDefinition = Schema | boolean;

/**
 * True when `text` parses as JSON and fits `schema`. Checks `type`, `properties`, `required`,
 * `additionalProperties: false`, `items`, `enum` and `const`, which catches the truncated, prose-wrapped or
 * mis-shaped answers seen in practice (AI SDK issue #9594). Other keywords are not checked.
 */
export function matchesJsonSchema(text: string, schema: object | undefined): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return schema === undefined || fits(value, schema as Schema);
}

function fits(value: unknown, schema: SchemaDefinition): boolean {
  if (typeof schema === 'boolean') return schema;
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) return false;
  if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value)))
    return false;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type))) return false;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    return items === undefined || Array.isArray(items) || value.every((item) => fits(item, items));
  }
  if (value === null || typeof value !== 'object') return true;
  const record = value as Record<string, unknown>;
  if (schema.required?.some((name) => !(name in record))) return false;
  const properties = schema.properties ?? {};
  for (const [name, field] of Object.entries(record)) {
    const property = properties[name];
    if (property !== undefined) {
      if (!fits(field, property)) return false;
    } else if (schema.additionalProperties === false) return false;
  }
  return true;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}
