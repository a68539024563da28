import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultAuditSecretPath } from '../audit/default-audit-secret.js';
import { sealRecords } from '../audit/hash-chain.js';
import { configPathFrom, loadConfigFile, type LoadedConfig } from '../assembly/load-config.js';
import { loadBank } from '../eval/question-bank.js';
import { runEval, type RunEvalOptions } from '../eval/run-eval.js';
import type { EvalReport } from '../eval/eval-report.js';
import { formatChange } from '../releases/diff-releases.js';
import type { GateVerdict } from '../releases/kpi-gate.js';
import { gateFromReport } from '../releases/gate-from-report.js';
import { releaseAuditRecord } from '../releases/release-audit-record.js';
import { snapshotRelease } from '../releases/release-content.js';
import { createReleaseService, type ReleaseService } from '../releases/release-service.js';
import { kpiGateSchema } from '../releases/releases-config-schema.js';
import { openMigratedStorage } from '../assembly/open-migrated-storage.js';
import { createSqlAuditStore } from '../audit/sql-audit-store.js';
import { createSqlReleaseStore } from '../releases/sql-release-store.js';
import { DEFAULT_STORAGE_URL, parseStorageUrl } from '../storage/storage-url.js';
import { progressBar } from './progress-bar.js';

/**
 * `switchyard release create|list|show|diff|promote|rollback|status`, straight against the
 * configured storage (like `keys`): whoever can run this can read the store. Every state change
 * is an event in the release ledger and, when audit is on, a record in the audit hash chain.
 */
interface CommonOptions {
  config?: string;
  storage?: string;
  json?: boolean;
}

function loadOptionalConfig(options: CommonOptions, required: boolean): LoadedConfig | undefined {
  const path = configPathFrom(options.config);
  if (!required && options.config === undefined && !existsSync(path)) return undefined;
  return loadConfigFile(path);
}

function storageUrl(options: CommonOptions, loaded: LoadedConfig | undefined): string {
  return options.storage ?? loaded?.config.storage.url ?? process.env.SWITCHYARD_STORAGE_URL ?? DEFAULT_STORAGE_URL;
}

/** The audit key as the gateway finds it; undefined when audit is off or no key exists yet. */
function auditSecret(loaded: LoadedConfig | undefined, url: string): string | undefined {
  if (loaded && !loaded.config.audit.enabled) return undefined;
  if (loaded?.config.audit.secret !== undefined) return loaded.secret(loaded.config.audit.secret);
  const location = parseStorageUrl(url);
  if (location.kind !== 'sqlite' || location.path === ':memory:') return undefined;
  const path = defaultAuditSecretPath(location.path);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

async function withService<T>(options: CommonOptions, requireConfig: boolean, work: (service: ReleaseService, loaded: LoadedConfig | undefined) => Promise<T>): Promise<T> {
  const loaded = loadOptionalConfig(options, requireConfig);
  const url = storageUrl(options, loaded);
  const storage = await openMigratedStorage(url);
  const secret = auditSecret(loaded, url);
  const auditStore = createSqlAuditStore(storage.executor);
  const service = createReleaseService({
    store: createSqlReleaseStore(storage.executor),
    ...(secret !== undefined ? { audit: async (event) => void (await auditStore.append((head) => sealRecords(secret, head, [releaseAuditRecord(event)]))) } : {}),
  });
  try {
    return await work(service, loaded);
  } finally {
    await storage.close();
  }
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const actorOf = (given: string | undefined) => given ?? process.env.SWITCHYARD_ACTOR ?? process.env.USER ?? 'unknown';
const collect = (value: string, previous: string[]) => [...previous, value];

interface PromoteOptions extends CommonOptions {
  canary?: string;
  cohort?: string;
  force?: boolean;
  reason?: string;
  actor?: string;
  report?: string;
  bank?: string;
  gateway?: string;
  key?: string;
  keyEnv?: string;
  alias?: string[];
}

/** The gate's evidence: a report given, or the bank run now against the candidate and production. */
async function gateVerdict(options: PromoteOptions, loaded: LoadedConfig | undefined, candidate: string, production: string | undefined): Promise<GateVerdict | undefined> {
  const gate = loaded?.config.releases.gate ?? kpiGateSchema.parse({});
  let report: EvalReport;
  if (options.report) {
    report = JSON.parse(readFileSync(options.report, 'utf8')) as EvalReport;
  } else if (options.bank) {
    const key = options.key ?? (options.keyEnv ? process.env[options.keyEnv] : undefined);
    if (!options.gateway || !key) throw new Error('running the bank needs --gateway URL and --key KEY (or --key-env NAME)');
    const aliases = options.alias ?? [];
    if (aliases.length === 0) throw new Error('running the bank needs --alias NAME: the alias the bank evaluates');
    const bank = { path: options.bank, ...loadBank(options.bank) };
    const targets: RunEvalOptions['targets'] = aliases.flatMap((alias) => [
      { text: `${alias}@${candidate}`, alias, release: candidate },
      ...(production && production !== candidate ? [{ text: `${alias}@${production}`, alias, release: production }] : []),
    ]);
    report = await runEval({ gateway: options.gateway, key, bank, targets, ...(process.stderr.isTTY ? { onProgress: progressBar(process.stderr) } : {}) });
  } else {
    return undefined;
  }
  return gateFromReport(gate, report, candidate, production, new Date());
}

export function registerReleaseCommand(program: Command): void {
  const release = program.command('release').description('versioned, content-addressed releases: create, compare, promote (KPI-gated), roll back');
  const common = (command: Command) =>
    command
      .option('-c, --config <file>', 'config file (default: $SWITCHYARD_CONFIG or ./switchyard.yaml)')
      .option('--storage <url>', 'sqlite:<path> or postgres://… (default: the config\'s storage.url)')
      .option('--json', 'print JSON');

  common(release.command('create').description('snapshot the governed parts of the config as a release'))
    .option('--note <text>', 'what changed and why')
    .option('--actor <name>', 'who is creating it (default: $USER)')
    .action(async (options: CommonOptions & { note?: string; actor?: string }) => {
      await withService(options, true, async (service, loaded) => {
        const { record, created } = await service.create({ content: snapshotRelease(loaded!.config), author: actorOf(options.actor), ...(options.note ? { note: options.note } : {}) });
        if (options.json) return print({ id: record.id, digest: record.digest, created });
        process.stdout.write(`${record.id}\n`);
        process.stderr.write(created ? `created release ${record.id} (sha256 ${record.digest})\n` : `release ${record.id} already exists: the governed config is unchanged\n`);
      });
    });

  common(release.command('list').description('releases, newest first, with the ones serving now'))
    .action(async (options: CommonOptions) => {
      await withService(options, false, async (service) => {
        const rows = await service.list();
        if (options.json) return print(rows);
        if (rows.length === 0) return void process.stdout.write('no releases yet; create one with `switchyard release create`\n');
        for (const row of rows) process.stdout.write(`${row.id}  ${row.createdAt}  ${(row.serving ?? '').padEnd(10)}  ${row.author ?? ''}  ${row.note ?? ''}\n`);
      });
    });

  common(release.command('show').argument('<id>', 'release id or unambiguous prefix').description('the pins, templates, KB labels and tools of a release'))
    .action(async (id: string, options: CommonOptions) => {
      await withService(options, false, async (service) => {
        const record = await service.show(id);
        if (options.json) return print(record);
        process.stdout.write(`${record.id}  created ${record.createdAt} by ${record.author ?? 'unknown'}${record.note ? ` — ${record.note}` : ''}\nsha256 ${record.digest}\n`);
        for (const [name, alias] of Object.entries(record.content.aliases)) {
          process.stdout.write(`alias ${name}: ${alias.pins.map((pin) => `${pin.deployment}/${pin.upstreamModel}${pin.variant !== 'stable' ? ` (${pin.variant})` : ''}`).join(', ')}`);
          process.stdout.write(`${alias.knowledgeBase ? `; kb ${alias.knowledgeBase.index}@${alias.knowledgeBase.version}` : ''}${alias.tools ? `; tools ${alias.tools.allow.join(', ')}` : ''}\n`);
        }
        for (const [name, template] of Object.entries(record.content.templates)) {
          process.stdout.write(`template ${name}: versions ${Object.keys(template.versions).join(', ')}; labels ${Object.entries(template.labels).map(([label, version]) => `${label}→${version}`).join(', ') || 'none'}\n`);
        }
      });
    });

  common(release.command('diff').argument('<a>').argument('<b>').description('what changed from release A to release B'))
    .action(async (a: string, b: string, options: CommonOptions) => {
      await withService(options, false, async (service) => {
        const changes = await service.diff(a, b);
        if (options.json) return print(changes);
        process.stdout.write(changes.length === 0 ? 'no differences\n' : `${changes.map(formatChange).join('\n')}\n`);
      });
    });

  common(release.command('status').description('which releases serve now, and the last changes'))
    .action(async (options: CommonOptions) => {
      await withService(options, false, async (service) => {
        const [state, events] = await Promise.all([service.state(), service.events(10)]);
        if (options.json) return print({ state, events });
        process.stdout.write(`production: ${state.production ?? '(none: the config file serves)'}\ncanary: ${state.canary ? `${state.canary.release} at ${state.canary.percent} %${state.canary.cohort ? ` + cohort ${state.canary.cohort}` : ''}` : '(none)'}\n`);
        for (const event of events) process.stdout.write(`  #${event.generation} ${event.time} ${event.action} ${event.release ?? ''} by ${event.actor ?? 'unknown'}${event.forced ? ` FORCED: ${event.reason}` : ''}\n`);
      });
    });

  common(release.command('promote').argument('<id>', 'release id or unambiguous prefix').description('make a release serve (all traffic, a canary share, or a cohort) once it passes the KPI gate'))
    .option('--canary <percent>', 'serve it to this share of traffic (sticky per user)')
    .option('--cohort <name>', 'serve it to this department, team, role or user')
    .option('--report <file>', 'evidence: a JSON report of `eval run` (not older than releases.gate.max_report_age_hours)')
    .option('--bank <file>', 'evidence: run this question bank now against the candidate and production')
    .option('--gateway <url>', 'with --bank: the gateway to run it through')
    .option('--key <key>', 'with --bank: an API key with the releases:evaluate scope')
    .option('--key-env <name>', 'with --bank: read the key from this environment variable')
    .option('--alias <name>', 'with --bank: the alias the bank evaluates (repeatable)', collect, [])
    .option('--force', 'promote even though the gate refuses (needs --reason; audited)')
    .option('--reason <text>', 'why the gate is overridden')
    .option('--actor <name>', 'who promotes (default: $USER)')
    .action(async (id: string, options: PromoteOptions) => {
      await withService(options, false, async (service, loaded) => {
        const record = await service.show(id);
        const state = await service.state();
        let verdict: GateVerdict | undefined;
        try {
          verdict = await gateVerdict(options, loaded, record.id, state.production);
        } catch (error) {
          // Forcing needs no evidence; the missing evaluation is recorded as what was overridden.
          if (!options.force) throw error;
        }
        const percent = options.canary === undefined ? undefined : Number(options.canary.replace(/%$/, ''));
        if (percent !== undefined && !Number.isFinite(percent)) throw new Error(`--canary '${options.canary}' is not a percentage`);
        const event = await service.promote({
          release: record.id,
          actor: actorOf(options.actor),
          ...(percent !== undefined ? { canaryPercent: percent } : {}),
          ...(options.cohort ? { cohort: options.cohort } : {}),
          ...(verdict ? { verdict } : {}),
          ...(options.force ? { force: true } : {}),
          ...(options.reason ? { reason: options.reason } : {}),
          ...(loaded ? { knownDeployments: new Set(loaded.config.deployments.map((deployment) => deployment.id)) } : {}),
        });
        if (options.json) return print(event);
        const interval = loaded?.config.releases.poll_interval_seconds ?? 5;
        process.stdout.write(`${event.action === 'canary' ? `canary ${record.id} at ${event.canary?.percent} %${event.canary?.cohort ? ` + cohort ${event.canary.cohort}` : ''}` : `production is now ${record.id}`} (generation ${event.generation}); every replica serves it within ${interval} s\n`);
      });
    });

  common(release.command('rollback').description('abort the canary, or put the previous production release back'))
    .option('--reason <text>', 'why')
    .option('--actor <name>', 'who rolls back (default: $USER)')
    .action(async (options: CommonOptions & { reason?: string; actor?: string }) => {
      await withService(options, false, async (service, loaded) => {
        const event = await service.rollback({ actor: actorOf(options.actor), ...(options.reason ? { reason: options.reason } : {}) });
        if (options.json) return print(event);
        const interval = loaded?.config.releases.poll_interval_seconds ?? 5;
        process.stdout.write(`${event.action === 'abort-canary' ? `canary ${event.release} stopped` : `rolled back ${event.release}`}; production is ${event.production ?? '(none: the config file serves)'} (generation ${event.generation}); live everywhere within ${interval} s\n`);
      });
    });
}
