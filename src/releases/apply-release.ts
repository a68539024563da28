import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import { GatewayError, ModelNotFoundError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../model/chat-request.js';
import { knowledgeBaseLabel } from './release-content.js';
import type { ReleaseChoice, ReleaseRole } from './release-runtime.js';
import { parseTemplateReference, renderTemplateMessages, resolveTemplate } from './render-template.js';
import { stableJson } from './stable-json.js';
import type { TemplateRequest } from '../wire/openai/template-request.js';

/** What the audit record, metrics and response headers say about the release that served. */
export interface ReleaseFacts {
  releaseId: string;
  role: ReleaseRole;
  /** `name@version` actually rendered (a label is resolved to its version). */
  template?: string;
  /** `index@version` of the alias's knowledge base in this release. */
  knowledgeBase?: string;
}

export interface ReleasedRequest {
  alias: ModelAliasConfig;
  request: ChatRequest;
  facts: ReleaseFacts;
}

/**
 * Serves one chat request as the chosen release says: the alias's pinned targets (deployment +
 * model version), its tool allow-list and schemas, and the prompt template the request names,
 * rendered before the policy sees the text. An alias the release does not govern is not served.
 */
export function applyRelease(choice: ReleaseChoice, configured: ModelAliasConfig, request: ChatRequest, template: TemplateRequest | undefined): ReleasedRequest {
  const { release } = choice;
  const released = release.content.aliases[configured.alias];
  if (!released || released.config.type !== configured.type) throw new ModelNotFoundError(configured.alias);
  const facts: ReleaseFacts = { releaseId: release.id, role: choice.role };
  const kb = knowledgeBaseLabel(released);
  if (kb) facts.knowledgeBase = kb;

  if (released.tools && request.tools) {
    for (const tool of request.tools) {
      if (!released.tools.allow.includes(tool.name)) {
        throw new GatewayError('access_denied_tool', `The tool '${tool.name}' is not on the allow-list of '${configured.alias}' in release ${release.id}.`, { param: 'tools' });
      }
      const schema = released.tools.schemas[tool.name];
      if (schema && stableJson(schema) !== stableJson(tool.parameters)) {
        throw new GatewayError('invalid_request', `The parameters of tool '${tool.name}' differ from the JSON schema pinned in release ${release.id}.`, { param: 'tools' });
      }
    }
  }

  let outbound = request;
  if (template) {
    const resolved = resolveTemplate(release.content, parseTemplateReference(template.reference), release.id);
    const label = `${resolved.name}@${resolved.version}`;
    facts.template = label;
    outbound = { ...request, messages: [...renderTemplateMessages(resolved.messages, template.variables, label), ...request.messages] };
  }
  return { alias: released.config, request: outbound, facts };
}
