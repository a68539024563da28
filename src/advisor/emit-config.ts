import { stringify } from 'yaml';
import type { Advice } from './advise.js';
import type { Mode } from './modes.js';

/** The subset of the gateway config (src/config/config-schema.ts) the starter file uses. */
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
}

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

/** Deployments and aliases for each mode; `chat-restricted` only ever targets on-prem. */
function layout(mode: Mode, dataMayLeaveOpenly: boolean): Pick<StarterConfig, 'deployments' | 'models'> & { restricted: boolean } {
  const cloud = dataMayLeaveOpenly ? publicApi : azurePrivate;
  switch (mode) {
    case 'api':
      return { deployments: [publicApi], models: [{ alias: 'chat', type: 'chat', description: 'General assistant via the public API', targets: [target(publicApi)] }], restricted: false };
    case 'private-cloud':
      return { deployments: [azurePrivate], models: [{ alias: 'chat', type: 'chat', description: 'General assistant in the private cloud', targets: [target(azurePrivate)] }], restricted: false };
    case 'on-prem':
      return { deployments: [onPrem], models: [{ alias: 'chat', type: 'chat', description: 'General assistant on-prem; nothing leaves', targets: [target(onPrem)] }], restricted: false };
    case 'hybrid':
      return {
        deployments: [onPrem, cloud],
        models: [
          { alias: 'chat', type: 'chat', description: 'Non-restricted data: cloud tier for elasticity', targets: [target(cloud)] },
          { alias: 'chat-restricted', type: 'chat', description: 'Restricted data: on-prem only', targets: [target(onPrem)] },
        ],
        restricted: true,
      };
    case 'multi-cloud': {
      const second = anthropicSecond(dataMayLeaveOpenly ? 'api' : 'private-cloud');
      const first = dataMayLeaveOpenly ? publicApi : azurePrivate;
      return {
        deployments: [first, second],
        models: [{ alias: 'chat', type: 'chat', description: 'Two providers; shift the weights to fail over', targets: [target(first, 70), target(second, 30)] }],
        restricted: false,
      };
    }
  }
}

/** Routing and masking rules for the policy section, kept as comments until the schema accepts it. */
function policyComment(mode: Mode, hasCloud: boolean, hasOnPrem: boolean): string {
  const lines = ['', '# Policy rules for this decision. The gateway policy section (ordered `rules`) is not in the', '# config schema yet; uncomment and adapt once `switchyard config check` accepts it.', '# policy:', '#   rules:'];
  if (hasOnPrem) lines.push('#     - name: restricted-stays-on-prem', '#       when: { classification: restricted }', '#       route: { tiers: [on-prem] }');
  if (hasCloud) lines.push('#     - name: mask-before-cloud', '#       when: { tiers: [api, private-cloud] }', '#       action: mask            # pseudonymise personal data; restore it in the reply');
  if (!hasOnPrem && hasCloud) lines.push('#     - name: deny-restricted', '#       when: { classification: restricted }', '#       action: deny            # no tier here may receive restricted data');
  if (mode === 'on-prem') lines.push('#     - name: allow-all-inside', '#       when: {}', '#       route: { tiers: [on-prem] }');
  return `${lines.join('\n')}\n`;
}

/**
 * A starter gateway configuration for the recommended mode. Secrets are `${env:NAME}` references;
 * URLs are placeholders to replace. Until the policy section exists, "restricted → on-prem" is
 * enforced by aliases and key allow-lists: only `chat-restricted` reaches on-prem, and the
 * restricted application's key may use nothing else.
 */
export function emitConfig(advice: Advice): string {
  const mode = advice.winner;
  const { deployments, models, restricted } = layout(mode, advice.answers.data_egress === 'allowed');
  const keys: StarterConfig['auth']['keys'] = [{ id: 'default-app', key: '${env:SWITCHYARD_KEY_DEFAULT}', owner: 'platform-team', models: ['chat'] }];
  if (restricted) keys.push({ id: 'restricted-app', key: '${env:SWITCHYARD_KEY_RESTRICTED}', owner: 'restricted-data-team', models: ['chat-restricted'] });
  const config: StarterConfig = { version: 1, server: { host: '127.0.0.1', port: 8080 }, auth: { keys }, deployments, models };
  const header = [
    `# Starter Switchyard configuration generated by \`switchyard advise\` for mode: ${mode}`,
    `# Decision-tree path: ${advice.tree.steps.map((step) => step.answer).join(' → ')}; runner-up: ${advice.runnerUp ?? 'none'}.`,
    '# Replace the placeholder URLs and set the referenced environment variables, then run `switchyard config check`.',
    '',
  ].join('\n');
  const hasCloud = deployments.some((deployment) => deployment.tier !== 'on-prem');
  const hasOnPrem = deployments.some((deployment) => deployment.tier === 'on-prem');
  return `${header}${stringify(config)}${policyComment(mode, hasCloud, hasOnPrem)}`;
}
