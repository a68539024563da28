import type { Command } from 'commander';
import { BOOTSTRAP_ADMIN_ROLE } from '../identity/access-policy.js';
import { createApiKeyHasher } from '../identity/api-key-hasher.js';
import { createApiKeyService, DEFAULT_ROTATION_GRACE_MS, type CreateApiKeyInput } from '../identity/api-key-service.js';
import type { ApiKeyRecord } from '../identity/api-key-store.js';
import { toApiKeyView } from '../identity/api-key-view.js';
import { DEFAULT_STORAGE_URL, openApiKeyStore, type OpenedApiKeyStore } from '../identity/open-api-key-store.js';

/**
 * `switchyard keys create|list|show|revoke|rotate`: manage virtual API keys straight in the
 * store. Whoever can run this can read the store and the HMAC secret, so it needs no admin key.
 */

interface StoreOptions {
  storage: string;
  secretEnv: string;
  json?: boolean;
}

const DEFAULT_SECRET_ENV = 'SWITCHYARD_KEY_SECRET';
const collect = (value: string, previous: string[]) => [...previous, value];
const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `12h`, `30d`, or plain seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a duration; use e.g. 90s, 15m, 12h or 30d`);
  return Number(match[1]) * (UNITS[match[2] || 's'] ?? 1_000);
}

function secretFrom(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} (the API key HMAC secret) is not set`);
  return value;
}

async function withStore<T>(options: StoreOptions, work: (opened: OpenedApiKeyStore) => Promise<T>): Promise<T> {
  const opened = await openApiKeyStore(options.storage);
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}

function printRecord(record: ApiKeyRecord, json: boolean | undefined, key?: string): void {
  const view = toApiKeyView(record, Date.now());
  if (json) {
    process.stdout.write(`${JSON.stringify(key === undefined ? view : { key, ...view }, null, 2)}\n`);
    return;
  }
  if (key !== undefined) {
    process.stdout.write(`${key}\n`);
    // On stderr so `KEY=$(switchyard keys create …)` captures the key alone.
    process.stderr.write(`Store this key now: it is shown only once. id ${view.id}, prefix ${view.prefix}\n`);
    return;
  }
  const lines = Object.entries(view).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0));
  process.stdout.write(`${lines.map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join('\n')}\n`);
}

function withStoreOptions(command: Command): Command {
  return command
    .option('--storage <url>', 'key store: sqlite:<path> or postgres://…', DEFAULT_STORAGE_URL)
    .option('--secret-env <name>', 'environment variable holding the HMAC secret', DEFAULT_SECRET_ENV)
    .option('--json', 'print JSON');
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('manage virtual API keys');

  withStoreOptions(keys.command('create'))
    .description('issue a key; prints it once')
    .requiredOption('--owner <owner>', 'who the key belongs to')
    .option('--name <name>', 'a label')
    .option('--team <team>')
    .option('--department <department>')
    .option('--role <role>', 'role (repeatable)', collect, [])
    .option('--model <alias>', 'limit to this model alias (repeatable)', collect, [])
    .option('--tier <tier>', 'limit to this tier (repeatable)', collect, [])
    .option('--tag <key=value>', 'tag (repeatable)', collect, [])
    .option('--expires-in <duration>', 'e.g. 30d')
    .option('--budget-ref <id>')
    .option('--rate-limit-ref <id>')
    .action(async (options: StoreOptions & Record<string, string | string[] | undefined>) => {
      const roles = options.role as string[];
      if (roles.includes(BOOTSTRAP_ADMIN_ROLE)) throw new Error(`the role ${BOOTSTRAP_ADMIN_ROLE} is reserved`);
      const tags: Record<string, string> = {};
      for (const tag of options.tag as string[]) {
        const at = tag.indexOf('=');
        if (at <= 0) throw new Error(`--tag '${tag}' must be key=value`);
        tags[tag.slice(0, at)] = tag.slice(at + 1);
      }
      const input: CreateApiKeyInput = { owner: options.owner as string, roles, tags, createdBy: 'cli' };
      const optional = { name: 'name', team: 'team', department: 'department', budgetRef: 'budgetRef', rateLimitRef: 'rateLimitRef' } as const;
      for (const [field, option] of Object.entries(optional)) {
        const value = options[option];
        if (typeof value === 'string') input[field as keyof typeof optional] = value;
      }
      if ((options.model as string[]).length > 0) input.models = options.model as string[];
      if ((options.tier as string[]).length > 0) input.tiers = options.tier as string[];
      if (typeof options.expiresIn === 'string') input.expiresAt = Date.now() + parseDuration(options.expiresIn);
      const hasher = createApiKeyHasher(secretFrom(options.secretEnv));
      await withStore(options, async ({ store }) => {
        const { key, record } = await createApiKeyService({ store, hasher }).create(input);
        printRecord(record, options.json, key);
      });
    });

  withStoreOptions(keys.command('list'))
    .description('list keys (never their secrets)')
    .option('--owner <owner>')
    .option('--team <team>')
    .option('--all', 'include revoked keys')
    .action(async (options: StoreOptions & { owner?: string; team?: string; all?: boolean }) => {
      await withStore(options, async ({ store }) => {
        const records = await store.list({
          ...(options.owner !== undefined ? { owner: options.owner } : {}),
          ...(options.team !== undefined ? { team: options.team } : {}),
          includeRevoked: options.all === true,
        });
        const views = records.map((record) => toApiKeyView(record, Date.now()));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
          return;
        }
        for (const view of views) {
          process.stdout.write(`${[view.id, view.prefix, view.status, view.owner, view.roles.join(',') || '-', view.expires_at ?? 'never'].join('\t')}\n`);
        }
      });
    });

  withStoreOptions(keys.command('show'))
    .description('show one key')
    .argument('<id>')
    .action(async (id: string, options: StoreOptions) => {
      await withStore(options, async ({ store }) => {
        const record = await store.get(id);
        if (!record) throw new Error(`no API key with id '${id}'`);
        printRecord(record, options.json);
      });
    });

  withStoreOptions(keys.command('revoke'))
    .description('revoke a key; other gateway instances notice within their cache TTL')
    .argument('<id>')
    .action(async (id: string, options: StoreOptions) => {
      await withStore(options, async ({ store }) => {
        if (!(await store.revoke(id, Date.now()))) throw new Error(`no API key with id '${id}'`);
        const record = await store.get(id);
        if (record) printRecord(record, options.json);
      });
    });

  withStoreOptions(keys.command('rotate'))
    .description('issue a new secret for a key; the old one keeps working for the grace period')
    .argument('<id>')
    .option('--grace <duration>', 'how long the old key keeps working', `${DEFAULT_ROTATION_GRACE_MS / 3_600_000}h`)
    .action(async (id: string, options: StoreOptions & { grace: string }) => {
      const hasher = createApiKeyHasher(secretFrom(options.secretEnv));
      const graceMs = parseDuration(options.grace);
      await withStore(options, async ({ store }) => {
        const rotated = await createApiKeyService({ store, hasher }).rotate(id, { graceMs });
        if (!rotated) throw new Error(`no active API key with id '${id}'`);
        printRecord(rotated.record, options.json, rotated.key);
      });
    });
}
