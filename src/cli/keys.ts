import type { Command } from 'commander';
import type { LoadedConfig } from '../assembly/load-config.js';
import { TIERS } from '../model/tiers.js';
import { BOOTSTRAP_ADMIN_ROLE } from '../identity/access-policy.js';
import { createApiKeyHasher } from '../identity/api-key-hasher.js';
import { createApiKeyService, DEFAULT_ROTATION_GRACE_MS, type CreateApiKeyInput } from '../identity/api-key-service.js';
import type { ApiKeyRecord } from '../identity/api-key-store.js';
import { toApiKeyView } from '../identity/api-key-view.js';
import { apiKeyStoreFor } from '../identity/open-api-key-store.js';
import { type OpenedApiKeyStore } from '../assembly/open-api-key-store.js';
import { keyStoreSecretFor, loadCliConfig, openCliStorage, storageUrlFor, withConfigOption } from './cli-config.js';

/**
 * `switchyard keys create|list|show|revoke|rotate`: manage virtual API keys straight in the
 * store. Whoever can run this can read the store and the HMAC secret, so it needs no admin key.
 * Store, secret and roles come from the gateway's config (`--config`); flags override.
 */

interface StoreOptions {
  config?: string;
  storage?: string;
  secretEnv?: string;
  json?: boolean;
}
const collect = (value: string, previous: string[]) => [...previous, value];
const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `12h`, `30d`, or plain seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a duration; use e.g. 90s, 15m, 12h or 30d`);
  return Number(match[1]) * (UNITS[match[2] || 's'] ?? 1_000);
}

/**
 * Opens the key store the config (or --storage) names. Only `create` may create the database:
 * every other command reads keys that must already be there.
 */
async function withStore<T>(
  options: StoreOptions,
  work: (opened: OpenedApiKeyStore, loaded: LoadedConfig | undefined) => Promise<T>,
  create?: { check(loaded: LoadedConfig | undefined): void },
): Promise<T> {
  const loaded = loadCliConfig(options.config);
  const url = storageUrlFor(options.storage, loaded);
  // Refuse bad input before a database is created for it.
  create?.check(loaded);
  const storage = await openCliStorage(url, loaded, { mustExist: create === undefined });
  try {
    return await work({ store: apiKeyStoreFor(storage), close: () => storage.close() }, loaded);
  } finally {
    await storage.close();
  }
}

/** The config's roles, aliases and tiers are the only ones a key may carry: the admin API refuses others too. */
function checkAgainstConfig(loaded: LoadedConfig | undefined, input: CreateApiKeyInput): void {
  if (!loaded) return;
  const { identity, models } = loaded.config;
  const roles = Object.keys(identity.roles);
  for (const role of input.roles ?? []) {
    if (!roles.includes(role)) {
      throw new Error(`unknown role '${role}': ${loaded.source} defines ${roles.length > 0 ? roles.join(', ') : 'no roles'} (identity.roles)`);
    }
  }
  const aliases = models.map((model) => model.alias);
  for (const alias of input.models ?? []) {
    if (!aliases.includes(alias)) throw new Error(`unknown model alias '${alias}': ${loaded.source} has ${aliases.join(', ')}`);
  }
  for (const tier of input.tiers ?? []) {
    if (!(TIERS as readonly string[]).includes(tier)) throw new Error(`unknown tier '${tier}': use ${TIERS.join(', ')}`);
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
  return withConfigOption(command)
    .option('--storage <url>', 'key store, overriding the config\'s storage.url: sqlite:<path> or postgres://…')
    .option('--secret-env <name>', 'environment variable holding the HMAC secret, overriding identity.key_store.secret (without a config: SWITCHYARD_KEY_SECRET)')
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
      let secret = '';
      await withStore(
        options,
        async ({ store }) => {
          const { key, record } = await createApiKeyService({ store, hasher: createApiKeyHasher(secret) }).create(input);
          printRecord(record, options.json, key);
        },
        {
          check(loaded) {
            checkAgainstConfig(loaded, input);
            secret = keyStoreSecretFor(options.secretEnv, loaded);
          },
        },
      );
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
      const graceMs = parseDuration(options.grace);
      await withStore(options, async ({ store }, loaded) => {
        const hasher = createApiKeyHasher(keyStoreSecretFor(options.secretEnv, loaded));
        const rotated = await createApiKeyService({ store, hasher }).rotate(id, { graceMs });
        if (!rotated) throw new Error(`no active API key with id '${id}'`);
        printRecord(rotated.record, options.json, rotated.key);
      });
    });
}
