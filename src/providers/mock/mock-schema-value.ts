import type { JsonObject, JsonValue } from '../../model/json-value.js';

/**
 * A deterministic example value for a JSON Schema, used for tool-call arguments and
 * `response_format: json_schema` replies. It covers the schemas tools really use (objects of
 * scalars, enums, arrays, nesting), not the whole JSON Schema language:
 *   const → it; enum → first member; default → it; anyOf/oneOf → first branch;
 *   object → every `required` property (all properties when `required` is absent);
 *   array → one item (or `minItems` items); string → by `format`, else `mock-<name>`
 *   padded/trimmed to minLength/maxLength; integer/number → `minimum` or 1 (capped by
 *   `maximum`); boolean → true; null → null; anything else ($ref, no type) → "mock".
 */
export function exampleForSchema(schema: JsonValue | undefined, name = 'value', depth = 0): JsonValue {
  if (depth > 8 || schema === null || typeof schema !== 'object' || Array.isArray(schema)) return depth > 8 ? null : 'mock';
  if ('const' in schema) return schema.const ?? null;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] ?? null;
  if ('default' in schema && schema.default !== undefined) return schema.default;
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (branches && branches.length > 0) return exampleForSchema(branches[0], name, depth + 1);
  const type = pickType(schema);
  switch (type) {
    case 'object':
      return exampleObject(schema, depth);
    case 'array': {
      const count = typeof schema.minItems === 'number' && schema.minItems > 1 ? Math.min(schema.minItems, 16) : 1;
      const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : count;
      const item = exampleForSchema(schema.items, name, depth + 1);
      return Array.from({ length: Math.min(count, maxItems) }, () => item);
    }
    case 'string':
      return exampleString(schema, name);
    case 'integer':
    case 'number': {
      let value = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
      if (typeof schema.maximum === 'number' && value > schema.maximum) value = schema.maximum;
      return type === 'integer' ? Math.ceil(value) : value;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'mock';
  }
}

function pickType(schema: JsonObject): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  // ["string", "null"]: the nullable idiom; prefer the real type.
  if (Array.isArray(type)) return type.find((entry): entry is string => typeof entry === 'string' && entry !== 'null') ?? 'null';
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function exampleObject(schema: JsonObject, depth: number): JsonObject {
  const properties = schema.properties !== null && typeof schema.properties === 'object' && !Array.isArray(schema.properties) ? schema.properties : {};
  const names = Array.isArray(schema.required)
    ? schema.required.filter((entry): entry is string => typeof entry === 'string')
    : Object.keys(properties);
  const result: JsonObject = {};
  for (const property of names) result[property] = exampleForSchema(properties[property], property, depth + 1);
  return result;
}

const FORMATS: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00',
  email: 'mock@example.com',
  uri: 'https://example.com/mock',
  url: 'https://example.com/mock',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function exampleString(schema: JsonObject, name: string): string {
  if (typeof schema.format === 'string' && FORMATS[schema.format] !== undefined) return FORMATS[schema.format] as string;
  let value = `mock-${name}`;
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) value = value.padEnd(schema.minLength, 'x');
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) value = value.slice(0, schema.maxLength);
  return value;
}
