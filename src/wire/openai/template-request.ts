import { GatewayError } from '../../errors/gateway-error.js';

/** What a client asked for in `metadata`: a template to render and the variables to render it with. */
export interface TemplateRequest {
  reference: string;
  variables: Record<string, string>;
}

const MAX_VARIABLES = 64;

function variablesFrom(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  let parsed: unknown = value;
  // The SDKs type metadata as string → string, so variables may arrive as a JSON string.
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new GatewayError('invalid_request', 'metadata.variables must be an object or a JSON-encoded object of strings.', { param: 'metadata.variables' });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError('invalid_request', 'metadata.variables must be an object of strings.', { param: 'metadata.variables' });
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_VARIABLES) throw new GatewayError('invalid_request', `metadata.variables may hold at most ${MAX_VARIABLES} variables.`, { param: 'metadata.variables' });
  const variables: Record<string, string> = {};
  for (const [name, item] of entries) {
    if (typeof item === 'string') variables[name] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') variables[name] = String(item);
    else throw new GatewayError('invalid_request', `metadata.variables.${name} must be a string.`, { param: `metadata.variables.${name}` });
  }
  return variables;
}

/** Reads `metadata.template` / `metadata.variables` from an OpenAI chat body; undefined when no template is named. */
export function templateRequestFrom(body: unknown): TemplateRequest | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const metadata = (body as { metadata?: unknown }).metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { template, variables } = metadata as { template?: unknown; variables?: unknown };
  if (template === undefined || template === null) return undefined;
  if (typeof template !== 'string') throw new GatewayError('invalid_request', 'metadata.template must be a string such as "name@version".', { param: 'metadata.template' });
  return { reference: template, variables: variablesFrom(variables) };
}
