import { createHash } from 'node:crypto';
import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import type { RoutingConfig } from '../routing/routing-config-schema.js';
import type { PolicyConfig } from '../policy/policy-config-schema.js';
import type { ReleasesConfig } from './releases-config-schema.js';
import { stableJson } from './stable-json.js';

/**
 * What a release pins: the governed parts of the configuration, and nothing operational
 * (ports, secrets, storage, logging). Two configs that govern the same way produce the same
 * content and therefore the same release id.
 */
export interface PinnedTarget {
  deployment: string;
  /** The model name the alias asks the deployment for. */
  model: string;
  /** The version the deployment actually serves under that name (its `models:` map), the pin that matters. */
  upstreamModel: string;
  weight: number;
  priority: number;
  variant: string;
}

export interface ReleasedAlias {
  /** The alias as configured, targets included: what the gateway routes by when this release serves. */
  config: ModelAliasConfig;
  pins: PinnedTarget[];
  knowledgeBase?: { index: string; version: string };
  tools?: { allow: string[]; schemas: Record<string, Record<string, unknown>> };
}

export interface ReleasedTemplate {
  versions: Record<string, { messages: Array<{ role: string; content: string }>; description?: string }>;
  /** label → version */
  labels: Record<string, string>;
}

export interface ReleaseContent {
  schema: 1;
  aliases: Record<string, ReleasedAlias>;
  templates: Record<string, ReleasedTemplate>;
  routing: RoutingConfig;
  policy: PolicyConfig;
}

/** The governed parts of the config a release snapshots (deployments only for their `models:` map). */
interface GovernedConfig {
  models: ModelAliasConfig[];
  deployments: ReadonlyArray<{ id: string; models: Record<string, string> }>;
  routing: RoutingConfig;
  policy: PolicyConfig;
  releases: ReleasesConfig;
}

export function snapshotRelease(config: GovernedConfig): ReleaseContent {
  const upstream = new Map(config.deployments.map((deployment) => [deployment.id, deployment.models]));
  const aliases: Record<string, ReleasedAlias> = {};
  for (const alias of config.models) {
    const kb = config.releases.knowledge_bases.find((entry) => entry.alias === alias.alias);
    const tools = config.releases.tools.find((entry) => entry.alias === alias.alias);
    aliases[alias.alias] = {
      config: alias,
      pins: alias.targets.map((target) => ({
        deployment: target.deployment,
        model: target.model,
        upstreamModel: upstream.get(target.deployment)?.[target.model] ?? target.model,
        weight: target.weight,
        priority: target.priority,
        variant: target.variant,
      })),
      ...(kb ? { knowledgeBase: { index: kb.index, version: kb.version } } : {}),
      ...(tools ? { tools: { allow: [...tools.allow].sort(), schemas: tools.schemas } } : {}),
    };
  }
  const templates: Record<string, ReleasedTemplate> = {};
  for (const template of config.releases.templates) {
    const entry = (templates[template.name] ??= { versions: {}, labels: {} });
    if (entry.versions[template.version]) throw new Error(`prompt template ${template.name}@${template.version} is defined twice`);
    entry.versions[template.version] = { messages: template.messages, ...(template.description ? { description: template.description } : {}) };
    for (const label of template.labels) {
      const holder = entry.labels[label];
      if (holder !== undefined) throw new Error(`label '${label}' of prompt template ${template.name} is on both ${holder} and ${template.version}`);
      entry.labels[label] = template.version;
    }
  }
  return { schema: 1, aliases, templates, routing: config.routing, policy: config.policy };
}

/** The full SHA-256 of the content's canonical JSON: the release's identity and its integrity check. */
export function releaseDigest(content: ReleaseContent): string {
  return createHash('sha256').update(stableJson(content)).digest('hex');
}

/** `rel-` and the first 12 hex digits of the digest: short enough to type, content-addressed. */
export function releaseIdOf(content: ReleaseContent): string {
  return `rel-${releaseDigest(content).slice(0, 12)}`;
}

/** `index@version`, the knowledge-base label the audit record carries. */
export function knowledgeBaseLabel(alias: ReleasedAlias | undefined): string | undefined {
  return alias?.knowledgeBase ? `${alias.knowledgeBase.index}@${alias.knowledgeBase.version}` : undefined;
}
