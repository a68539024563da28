import { stringify } from 'yaml';
import type { Advice } from './advise.js';
import type { Mode } from './modes.js';

/** The subset of the gateway config (src/assembly/config-schema.ts) the starter file uses. */
interface StarterDeployment {
  id: string;
  tier: 'api' | 'private-cloud' | 'on-prem';
  provider: 'openai-compatible' | 'azure-openai' | 'anthropic' | 'gemini' | 'mock';
  base_url?: string;
  api_key: string;
  api_version?: string;
  models: Record<string, string>;
}

interface StarterConfig {
  version: 1;
  server: { host: string; port: number };
  auth: { keys: { id: string; key: string; owner: string; models: string[] }[] };
  deployments: StarterDeployment[];
  models: { alias: string; type: 'chat'; description: string; targets: { deployment: string; model: string; weight: number }[] }[];
  policy: { rules: StarterRule[] };
}

/** A routing rule in the gateway's `policy.rules` (src/policy/policy-config-schema.ts). */
interface StarterRule {
  name: string;
  description: string;
  match?: { data_class_at_least: 'confidential' | 'restricted' };
  allow_tiers?: StarterDeployment['tier'][];
  mask?: string[];
  mask_mode?: 'reversible';
  deny?: string;
}

/** Entities of the default `confidential` class, pseudonymised before a cloud tier sees them. */
const CONFIDENTIAL_ENTITIES = ['PERSON', 'PHONE', 'EMAIL', 'ADDRESS'];

type CloudTier = 'api' | 'private-cloud';

const onPrem: StarterDeployment = {
  id: 'on-prem-vllm',
  tier: 'on-prem',
  provider: 'openai-compatible',
  base_url: 'http://vllm.internal:8000/v1',
  api_key: '${env:VLLM_API_KEY}',
  models: { 'llama-3.3-70b': 'meta-llama/Llama-3.3-70B-Instruct' },
};

const publicApi: StarterDeployment = {
  id: 'public-api',
  tier: 'api',
  provider: 'openai-compatible',
  base_url: 'https://api.openai.com/v1',
  api_key: '${env:OPENAI_API_KEY}',
  models: { 'gpt-6.1-sol': 'gpt-6.1-sol' },
};

const azurePrivate: StarterDeployment = {
  id: 'azure-private',
  tier: 'private-cloud',
  provider: 'azure-openai',
  base_url: 'https://your-resource.openai.azure.com',
  api_key: '${env:AZURE_OPENAI_API_KEY}',
  api_version: '2024-10-21',
  models: { 'gpt-4.1': 'your-gpt-4-1-deployment' },
};

const anthropicSecond = (tier: CloudTier): StarterDeployment => ({
  id: 'anthropic-second',
  tier,
  provider: 'anthropic',
  api_key: '${env:ANTHROPIC_API_KEY}',
  models: { 'claude-sonnet-5.5': 'claude-sonnet-5-5' },
});

const firstModel = (deployment: StarterDeployment): string => Object.keys(deployment.models)[0] ?? 'model';
const target = (deployment: StarterDeployment, weight = 1) => ({ deployment: deployment.id, model: firstModel(deployment), weight });

/** Deployments and the `chat` alias for each mode. */
function layout(mode: Mode, dataMayLeaveOpenly: boolean, insideShare: number): Pick<StarterConfig, 'deployments' | 'models'> {
  const cloud = dataMayLeaveOpenly ? publicApi : azurePrivate;
  switch (mode) {
    case 'api':
      return { deployments: [publicApi], models: [{ alias: 'chat', type: 'chat', description: 'General assistant via the public API', targets: [target(publicApi)] }] };
    case 'private-cloud':
      return { deployments: [azurePrivate], models: [{ alias: 'chat', type: 'chat', description: 'General assistant in the private cloud', targets: [target(azurePrivate)] }] };
    case 'on-prem':
      return { deployments: [onPrem], models: [{ alias: 'chat', type: 'chat', description: 'General assistant on-prem; nothing leaves', targets: [target(onPrem)] }] };
    case 'hybrid': {
      // Weights follow the traffic split of the cost projection; the policy narrows each request's tiers.
      const inside = Math.round(insideShare * 100);
      return {
        deployments: [onPrem, cloud],
        models: [
          {
            alias: 'chat',
            type: 'chat',
            description: 'Restricted data on-prem only (policy); the rest is balanced with the cloud tier for elasticity',
            targets: [target(onPrem, inside), target(cloud, 100 - inside)],
          },
        ],
      };
    }
    case 'multi-cloud': {
      const second = anthropicSecond(dataMayLeaveOpenly ? 'api' : 'private-cloud');
      const first = dataMayLeaveOpenly ? publicApi : azurePrivate;
      return {
        deployments: [first, second],
        models: [{ alias: 'chat', type: 'chat', description: 'Two providers; shift the weights to fail over', targets: [target(first, 70), target(second, 30)] }],
      };
    }
  }
}

/**
 * Ordered routing rules: restricted → on-prem (or denied where there is no on-prem tier),
 * confidential → masked before any cloud tier (kept inside when data may not leave at all),
 * and a default rule (the policy schema requires it last) allowing the tiers deployed.
 */
function policyRules(deployments: StarterDeployment[], dataForbidden: boolean): StarterRule[] {
  const tiers = [...new Set(deployments.map((deployment) => deployment.tier))];
  const cloudTiers = tiers.filter((tier) => tier !== 'on-prem');
  const hasOnPrem = tiers.includes('on-prem');
  const rules: StarterRule[] = [];
  rules.push(
    hasOnPrem
      ? { name: 'restricted-on-prem', description: 'Restricted data never leaves the company', match: { data_class_at_least: 'restricted' }, allow_tiers: ['on-prem'] }
      : {
          name: 'restricted-denied',
          description: 'No on-prem tier is deployed, so restricted data is refused',
          match: { data_class_at_least: 'restricted' },
          deny: 'Restricted data may not be sent to a cloud model; use the on-prem service.',
        },
  );
  if (cloudTiers.length > 0) {
    rules.push(
      dataForbidden && hasOnPrem
        ? { name: 'confidential-on-prem', description: 'Data may not leave: confidential data stays inside too', match: { data_class_at_least: 'confidential' }, allow_tiers: ['on-prem'] }
        : {
            name: 'confidential-masked',
            description: 'Personal data is pseudonymised before a cloud tier sees it and restored in the reply',
            match: { data_class_at_least: 'confidential' },
            allow_tiers: tiers,
            mask: CONFIDENTIAL_ENTITIES,
            mask_mode: 'reversible',
          },
    );
  }
  rules.push({ name: 'default', description: 'Everything else may use every deployed tier', allow_tiers: tiers });
  return rules;
}

/**
 * A starter gateway configuration for the recommended mode. Secrets are `${env:NAME}` references;
 * URLs are placeholders to replace. The `policy` section enforces the decision: restricted data
 * only on-prem (or refused), masking before cloud tiers.
 */
export function emitConfig(advice: Advice): string {
  const mode = advice.winner;
  const { deployments, models } = layout(mode, advice.answers.data_egress === 'allowed', advice.traffic.traffic.hybrid_inside_share);
  const keys: StarterConfig['auth']['keys'] = [{ id: 'default-app', key: '${env:SWITCHYARD_KEY_DEFAULT}', owner: 'platform-team', models: ['chat'] }];
  const policy = { rules: policyRules(deployments, advice.answers.data_egress === 'forbidden') };
  const config: StarterConfig = { version: 1, server: { host: '127.0.0.1', port: 8080 }, auth: { keys }, deployments, models, policy };
  const header = [
    `# Starter Switchyard configuration generated by \`switchyard advise\` for mode: ${mode}`,
    `# Decision-tree path: ${advice.tree.steps.map((step) => step.answer).join(' → ')}; runner-up: ${advice.runnerUp ?? 'none'}.`,
    '# Replace the placeholder URLs and set the referenced environment variables, then run `switchyard config check`.',
    '',
  ].join('\n');
  return `${header}${stringify(config, { aliasDuplicateObjects: false })}`;
}
