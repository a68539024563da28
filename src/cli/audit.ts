import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { exportAudit, type ExportFormat } from '../audit/export-audit.js';
import { applyRetention } from '../audit/audit-checkpoints.js';
import { verifyAuditStore } from '../audit/verify-audit-store.js';
import { readAnchorSource } from '../audit/read-anchor-source.js';
import type { AnchorStatement } from '../audit/chain-anchor.js';
import { createSqlAuditStore } from '../audit/sql-audit-store.js';
import { assertDatabaseExists, auditSecretFor, loadCliConfig, openCliStorage, storageUrlFor, withConfigOption } from './cli-config.js';

const STORAGE_HELP = "database, overriding the config's storage.url: sqlite:<path> or postgres://…";
const SECRET_HELP = "environment variable holding the audit HMAC secret, overriding the config's audit.secret (else SWITCHYARD_AUDIT_SECRET, else the audit-secret file beside a SQLite database)";

function isoTime(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`'${value}' is not a date or time (use ISO 8601, e.g. 2026-11-01 or 2026-11-01T08:00:00Z)`);
  return new Date(time).toISOString();
}

interface CommonOptions {
  config?: string;
  storage?: string;
  from?: string;
  to?: string;
}

/** What the anchor did or could not vouch for, said plainly (see docs/audit.md, threat model). */
function anchorNote(anchors: AnchorStatement[] | undefined, ranged: boolean): string {
  if (ranged) return '';
  if (anchors === undefined) {
    return 'note: no --anchor given: records deleted after the last checkpoint (a truncated tail) or a wiped ledger cannot be detected from the database alone\n';
  }
  const newest = [...anchors].sort((a, b) => b.seq - a.seq)[0];
  if (!newest) return 'warning: the anchor source holds no statement yet: a truncated tail or a wiped ledger cannot be detected\n';
  return `anchor: the head published at ${newest.time} (seq ${newest.seq}) is present and matches\n`;
}

/**
 * `switchyard audit verify|export|retention`. Exit codes of verify: 0 intact, 1 broken (the
 * first broken record and the kind of break are printed), 2 could not verify (no secret,
 * no database).
 */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('verify, export and prune the tamper-evident audit log');

  withConfigOption(audit.command('verify'))
    .description('check the hash chain; exit 0 intact, 1 broken, 2 could not check')
    .option('--storage <url>', STORAGE_HELP)
    .option('--from <time>', 'check from this time (ISO 8601)')
    .option('--to <time>', 'check up to this time (ISO 8601)')
    .option('--secret-env <name>', SECRET_HELP)
    .option('--anchor <source>', 'the chain head published outside the database: a file, s3://bucket/prefix or https://… (detects a truncated tail or a wiped ledger)')
    .option('--anchor-endpoint <url>', 'S3-compatible endpoint for an s3:// anchor (default $AWS_ENDPOINT_URL)')
    .action(async (options: CommonOptions & { secretEnv?: string; anchor?: string; anchorEndpoint?: string }) => {
      let secret: string;
      let storage;
      let anchors: AnchorStatement[] | undefined;
      try {
        const loaded = loadCliConfig(options.config);
        const url = storageUrlFor(options.storage, loaded);
        assertDatabaseExists(url, loaded);
        secret = auditSecretFor(options.secretEnv, loaded, url);
        if (options.anchor) anchors = await readAnchorSource(options.anchor, options.anchorEndpoint ? { endpoint: options.anchorEndpoint } : {});
        storage = await openCliStorage(url, loaded, { mustExist: true });
      } catch (error) {
        process.stderr.write(`switchyard audit verify: ${(error as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      try {
        const range = { ...(options.from ? { from: isoTime(options.from) } : {}), ...(options.to ? { to: isoTime(options.to) } : {}) };
        const result = await verifyAuditStore(createSqlAuditStore(storage.executor), secret, range, anchors);
        if (result.ok) {
          process.stdout.write(`audit chain intact: ${result.checked} records verified, head seq ${result.head.seq}\n`);
          process.stdout.write(anchorNote(anchors, options.to !== undefined));
          return;
        }
        const broken = result.firstBreak!;
        process.stdout.write(`audit chain BROKEN: ${broken.kind} at record ${broken.recordId} (seq ${broken.seq}): ${broken.detail}\n`);
        process.exitCode = 1;
      } finally {
        await storage.close();
      }
    });

  withConfigOption(audit.command('export'))
    .description('write audit records, oldest first, as JSON lines or CSV')
    .requiredOption('--format <format>', 'jsonl or csv')
    .option('--storage <url>', STORAGE_HELP)
    .option('--from <time>', 'records at or after this time')
    .option('--to <time>', 'records at or before this time')
    .option('--principal <id>')
    .option('--department <name>')
    .option('--alias <name>')
    .option('--deployment <id>')
    .option('--tier <tier>')
    .option('--data-class <class>')
    .option('--status <status>', 'ok, denied or error')
    .option('-o, --output <file>', 'write here instead of stdout')
    .action(async (options: CommonOptions & { format: string; output?: string } & Record<string, string | undefined>) => {
      if (options.format !== 'jsonl' && options.format !== 'csv') throw new Error(`--format must be jsonl or csv, not '${options.format}'`);
      const loaded = loadCliConfig(options.config);
      const storage = await openCliStorage(storageUrlFor(options.storage, loaded), loaded, { mustExist: true });
      const out = options.output ? createWriteStream(options.output) : process.stdout;
      try {
        const query = {
          ...(options.from ? { from: isoTime(options.from) } : {}),
          ...(options.to ? { to: isoTime(options.to) } : {}),
          ...(options.principal ? { principal: options.principal } : {}),
          ...(options.department ? { department: options.department } : {}),
          ...(options.alias ? { alias: options.alias } : {}),
          ...(options.deployment ? { deployment: options.deployment } : {}),
          ...(options.tier ? { tier: options.tier } : {}),
          ...(options.dataClass ? { dataClass: options.dataClass } : {}),
          ...(options.status ? { status: options.status } : {}),
        };
        const count = await exportAudit(createSqlAuditStore(storage.executor), query, options.format as ExportFormat, (chunk) =>
          out.write(chunk) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve())),
        );
        if (options.output) process.stderr.write(`${count} records written to ${options.output}\n`);
      } finally {
        if (options.output) await new Promise<void>((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
        await storage.close();
      }
    });

  withConfigOption(audit.command('retention'))
    .description('delete records older than N days, keeping a signed checkpoint so the rest still verifies')
    .requiredOption('--days <n>', 'keep this many days')
    .option('--storage <url>', STORAGE_HELP)
    .option('--secret-env <name>', SECRET_HELP)
    .action(async (options: { days: string; config?: string; storage?: string; secretEnv?: string }) => {
      const days = Number(options.days);
      if (!Number.isInteger(days) || days < 1) throw new Error('--days must be a positive whole number');
      const loaded = loadCliConfig(options.config);
      const url = storageUrlFor(options.storage, loaded);
      assertDatabaseExists(url, loaded);
      const secret = auditSecretFor(options.secretEnv, loaded, url);
      const storage = await openCliStorage(url, loaded, { mustExist: true });
      try {
        const result = await applyRetention(createSqlAuditStore(storage.executor), secret, days);
        process.stdout.write(`deleted ${result.deleted} records${result.anchor ? ` through seq ${result.anchor.seq}` : ''}\n`);
      } finally {
        await storage.close();
      }
    });
}
