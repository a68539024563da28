import { GatewayError } from '../errors/gateway-error.js';
import type { CanonicalMessage } from '../model/chat-message.js';
import type { ReleaseContent } from './release-content.js';

/** `name@version`, `name@label`, or `name` alone (= the `production` label). */
export interface TemplateReference {
  name: string;
  selector: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

export function parseTemplateReference(text: string): TemplateReference {
  const match = /^([a-z0-9][a-z0-9._-]*)(?:@([a-z0-9][a-z0-9._-]*))?$/i.exec(text.trim());
  if (!match) throw new GatewayError('invalid_request', `metadata.template '${text}' is not a template reference; use "name@version" or "name@label".`, { param: 'metadata.template' });
  return { name: match[1] as string, selector: match[2] ?? 'production' };
}

/** The version a reference names in a release: a version first, else a label. */
export function resolveTemplate(content: ReleaseContent, reference: TemplateReference, releaseId: string) {
  const template = content.templates[reference.name];
  if (!template) {
    const known = Object.keys(content.templates);
    throw new GatewayError('invalid_request', `Prompt template '${reference.name}' is not part of release ${releaseId}${known.length > 0 ? `; it has: ${known.join(', ')}` : ''}.`, { param: 'metadata.template' });
  }
  const version = template.versions[reference.selector] ? reference.selector : template.labels[reference.selector];
  const body = version === undefined ? undefined : template.versions[version];
  if (version === undefined || !body) {
    throw new GatewayError('invalid_request', `Prompt template '${reference.name}' has no version or label '${reference.selector}' in release ${releaseId}; versions: ${Object.keys(template.versions).join(', ')}; labels: ${Object.keys(template.labels).join(', ') || 'none'}.`, { param: 'metadata.template' });
  }
  return { name: reference.name, version, messages: body.messages };
}

/**
 * Fills `{{variable}}` placeholders in one pass: a value containing `{{…}}` stays literal text,
 * so a caller's variable can never pull in another variable (or re-expand itself). Every missing
 * variable is named at once.
 */
export function renderTemplateMessages(messages: ReadonlyArray<{ role: string; content: string }>, variables: Readonly<Record<string, string>>, label: string): CanonicalMessage[] {
  const missing = new Set<string>();
  for (const message of messages) for (const match of message.content.matchAll(PLACEHOLDER)) if (!Object.hasOwn(variables, match[1] as string)) missing.add(match[1] as string);
  if (missing.size > 0) {
    throw new GatewayError('invalid_request', `Prompt template ${label} needs the variable(s) ${[...missing].join(', ')}; pass them in metadata.variables.`, { param: 'metadata.variables' });
  }
  return messages.map((message) => ({
    role: message.role === 'developer' ? 'system' : (message.role as CanonicalMessage['role']),
    content: [{ type: 'text', text: message.content.replace(PLACEHOLDER, (_whole, name: string) => variables[name] as string) }],
  }));
}
