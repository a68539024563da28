/**
 * JSON Schema keywords and type names. Tool parameter schemas and response formats are forwarded
 * to every upstream, so these words appear in most outbound bodies; they are protocol, not
 * content, and the request layouts list them as vocabulary the data policy need not scan.
 * Property names, descriptions, titles, enums and defaults are content and are scanned.
 */
export const JSON_SCHEMA_WORDS = [
  'type', 'properties', 'required', 'items', 'enum', 'const', 'description', 'title', 'default', 'examples', 'format',
  'additionalProperties', 'patternProperties', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength',
  'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'pattern', 'anyOf', 'oneOf', 'allOf', 'not', '$ref', '$defs',
  'definitions', '$schema', 'nullable', 'strict',
  'object', 'string', 'number', 'integer', 'boolean', 'array', 'null',
  'date', 'date-time', 'time', 'email', 'uri', 'uuid',
];
