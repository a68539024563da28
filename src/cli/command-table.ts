import type { Command } from 'commander';

/**
 * Every `switchyard` command, loaded only when it runs. `term` and `description` are what the
 * top-level help lists, so `--help` needs none of the modules; command-table.test.ts checks that
 * they equal what each module registers.
 */
export interface CommandEntry {
  readonly name: string;
  /** The help listing's term, e.g. `serve [options]`. */
  readonly term: string;
  readonly description: string;
  load(): Promise<(program: Command) => void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'serve', term: 'serve [options]', description: 'run the gateway', load: async () => (await import('./serve.js')).registerServeCommand },
  { name: 'config', term: 'config', description: 'validate the config or print its JSON Schema', load: async () => (await import('./config.js')).registerConfigCommand },
  {
    name: 'scan',
    term: 'scan [options]',
    description: 'Detect PII in JSON Lines {"id","text"} from stdin; write {"id","entities","data_class"} lines to stdout',
    load: async () => (await import('./scan.js')).registerScanCommand,
  },
  {
    name: 'guard',
    term: 'guard [options]',
    description:
      'Score JSON Lines {"id","text"} from stdin for prompt injection, jailbreak, privilege escalation, exfiltration and prompt leaks; write {"id","verdict","categories","scores"} lines',
    load: async () => (await import('./guard.js')).registerGuardCommand,
  },
  { name: 'policy', term: 'policy', description: 'inspect the data policy', load: async () => (await import('./policy.js')).registerPolicyCommand },
  { name: 'keys', term: 'keys', description: 'manage virtual API keys', load: async () => (await import('./keys.js')).registerKeysCommand },
  { name: 'audit', term: 'audit', description: 'verify, export and prune the tamper-evident audit log', load: async () => (await import('./audit.js')).registerAuditCommand },
  {
    name: 'spend',
    term: 'spend [options]',
    description: 'spend per department, team, key, tag, deployment, tier or alias for a calendar period',
    load: async () => (await import('./spend.js')).registerSpendCommand,
  },
  {
    name: 'prices',
    term: 'prices',
    description: 'the built-in price catalogue (list prices per model, with sources)',
    load: async () => (await import('./prices.js')).registerPricesCommand,
  },
  {
    name: 'migrate',
    term: 'migrate [options]',
    description: 'apply pending database migrations (creating the database if needed); safe to run while gateways start',
    load: async () => (await import('./migrate.js')).registerMigrateCommand,
  },
  {
    name: 'advise',
    term: 'advise [options]',
    description: 'Recommend a deployment mode (api, private-cloud, on-prem, hybrid, multi-cloud) with a risk log, cost projection and report',
    load: async () => (await import('./advise.js')).registerAdviseCommand,
  },
  {
    name: 'mock-upstream',
    term: 'mock-upstream [options]',
    description: 'run the mock provider as an OpenAI / Azure OpenAI / Anthropic compatible HTTP server',
    load: async () => (await import('./mock-upstream.js')).registerMockUpstreamCommand,
  },
  {
    name: 'loadtest',
    term: 'loadtest [options]',
    description: 'load, fault and cost test of an OpenAI-compatible endpoint (normal, peak, faults) with a monthly cost projection',
    load: async () => (await import('./loadtest.js')).registerLoadtestCommand,
  },
  {
    name: 'release',
    term: 'release',
    description: 'versioned, content-addressed releases: create, compare, promote (KPI-gated), roll back',
    load: async () => (await import('./release.js')).registerReleaseCommand,
  },
  {
    name: 'eval',
    term: 'eval',
    description: 'run a question bank through the gateway and report per target and category',
    load: async () => (await import('./eval.js')).registerEvalCommand,
  },
];
