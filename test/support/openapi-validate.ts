/**
 * A small validator for the subset of OpenAPI 3.1 / JSON Schema that the OpenAI spec's chat,
 * embedding and error schemas use: $ref (with sibling keywords), type (string or list),
 * nullable, enum, const, properties, required, additionalProperties, items, min/maxItems,
 * minimum/maximum, min/maxLength, anyOf, oneOf, allOf. Annotations (description, default,
 * format, discriminator, x-*) are ignored. Test-only: no validator dependency may be added,
 * and wire shapes must be checked against the official spec, not hand-written expectations.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface OpenApiSchema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: boolean | OpenApiSchema;
  items?: OpenApiSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  allOf?: OpenApiSchema[];
}

export interface OpenApiSpec {
  components: { schemas: Record<string, OpenApiSchema> };
}

const cache = new Map<string, OpenApiSpec>();

/** Parses the spec once per path (the OpenAI spec is ~3 MB of YAML). */
export function loadOpenApiSpec(path: string): OpenApiSpec {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const spec = parse(readFileSync(path, 'utf8'), { maxAliasCount: -1 }) as OpenApiSpec;
  if (spec.components?.schemas === undefined) throw new Error(`${path}: no components.schemas`);
  cache.set(path, spec);
  return spec;
}

/** The shared reference copy of the OpenAI spec, or undefined when ../shared is not checked out. */
export function findOpenAISpecPath(): string | undefined {
  const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const path = resolve(repositoryRoot, '../shared/reference/openai-openapi/openapi.yaml');
  return existsSync(path) ? path : undefined;
}

/** Every violation of `value` against `components.schemas[schemaName]`, as "path: problem". */
export function validateAgainstSchema(spec: OpenApiSpec, schemaName: string, value: unknown): string[] {
  const schema = spec.components.schemas[schemaName];
  if (schema === undefined) throw new Error(`unknown schema '${schemaName}'`);
  const errors: string[] = [];
  validate(spec, schema, value, '$', errors);
  return errors;
}

function validate(spec: OpenApiSpec, schema: OpenApiSchema, value: unknown, path: string, errors: string[]): void {
  // OpenAPI 3.0 `nullable` short-circuits: null is valid whatever else the schema says.
  if (value === null && schema.nullable === true) return;
  if (schema.$ref !== undefined) validate(spec, resolveRef(spec, schema.$ref), value, path, errors);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type))) {
      errors.push(`${path}: expected ${types.join(' | ')}, got ${describe(value)}`);
      return;
    }
  }
  if (schema.enum !== undefined && !schema.enum.some((option) => option === value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if ('const' in schema && schema.const !== value) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: ${value} < minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: ${value} > maximum ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (Array.isArray(value)) validateArray(spec, schema, value, path, errors);
  else if (isObject(value)) validateObject(spec, schema, value, path, errors);
  for (const part of schema.allOf ?? []) validate(spec, part, value, path, errors);
  if (schema.anyOf !== undefined) validateAlternatives(spec, schema.anyOf, value, path, errors, 'anyOf');
  if (schema.oneOf !== undefined) validateAlternatives(spec, schema.oneOf, value, path, errors, 'oneOf');
}

function validateArray(spec: OpenApiSpec, schema: OpenApiSchema, value: unknown[], path: string, errors: string[]): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
  if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
  const items = schema.items;
  if (items !== undefined) value.forEach((item, index) => validate(spec, items, item, `${path}[${index}]`, errors));
}

function validateObject(spec: OpenApiSpec, schema: OpenApiSchema, value: Record<string, unknown>, path: string, errors: string[]): void {
  for (const name of schema.required ?? []) {
    if (!(name in value)) errors.push(`${path}: missing required property '${name}'`);
  }
  const properties = schema.properties ?? {};
  for (const [name, property] of Object.entries(value)) {
    const propertySchema = properties[name];
    if (propertySchema !== undefined) {
      validate(spec, propertySchema, property, `${path}.${name}`, errors);
    } else if (schema.additionalProperties === false) {
      errors.push(`${path}: unexpected property '${name}'`);
    } else if (typeof schema.additionalProperties === 'object') {
      validate(spec, schema.additionalProperties, property, `${path}.${name}`, errors);
    }
  }
}

function validateAlternatives(
  spec: OpenApiSpec,
  alternatives: OpenApiSchema[],
  value: unknown,
  path: string,
  errors: string[],
  keyword: 'anyOf' | 'oneOf',
): void {
  const results = alternatives.map((alternative) => {
    const branchErrors: string[] = [];
    validate(spec, alternative, value, path, branchErrors);
    return branchErrors;
  });
  const matches = results.filter((result) => result.length === 0).length;
  if (matches === 0) {
    // The branch with the fewest errors is almost always the one the value meant to be.
    const closest = results.reduce((best, result) => (result.length < best.length ? result : best));
    errors.push(`${path}: matches no ${keyword} alternative; closest: ${closest.slice(0, 3).join('; ')}`);
  } else if (keyword === 'oneOf' && matches > 1) {
    errors.push(`${path}: matches ${matches} oneOf alternatives, expected exactly one`);
  }
}

function resolveRef(spec: OpenApiSpec, reference: string): OpenApiSchema {
  const prefix = '#/components/schemas/';
  if (!reference.startsWith(prefix)) throw new Error(`unsupported $ref '${reference}'`);
  const schema = spec.components.schemas[reference.slice(prefix.length)];
  if (schema === undefined) throw new Error(`unresolved $ref '${reference}'`);
  return schema;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
