import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveAuditSecret, resolveCliAuditSecret } from '../audit/audit-secret.js';
import { ALL_SECRETS, loadConfigFile, type LoadedConfig } from '../assembly/load-config.js';
import { openMigratedStorage } from '../assembly/open-migrated-storage.js';
import type { Storage } from '../storage/open-storage.js';
import { parseStorageUrl, resolveStorageUrl } from '../storage/storage-url.js';

/**
 * One source of truth for every CLI command: the config file the gateway runs with. Storage, the
 * key-store secret, the audit secret, roles, classes and detectors all come from it; a flag
 * overrides one value. Which file: `--config`, then $SWITCHYARD_CONFIG, then ./switchyard.yaml
 * when it exists. Relative paths in it resolve against its own folder (load-config.ts), so a
 * command run from any directory reaches the gateway's database.
 */

export const CONFIG_OPTION_HELP = 'config file the gateway runs with (default: $SWITCHYARD_CONFIG, else ./switchyard.yaml)';
/** What to say when there is no config at all. */
export const NO_CONFIG_HINT = 'pass --config <file> (the gateway\'s config; to try Switchyard: --config examples/quickstart.yaml) or set SWITCHYARD_CONFIG';

export interface CliConfigOptions {
  config?: string;
}

export function withConfigOption(command: Command): Command {
  return command.option('-c, --config <file>', CONFIG_OPTION_HELP);
}

/** The config path a command uses, or undefined when none is named and ./switchyard.yaml is absent. */
export function findCliConfig(option: string | undefined, environment: NodeJS.ProcessEnv = process.env): string | undefined {
  if (option !== undefined && option !== '') return option;
  if (environment.SWITCHYARD_CONFIG) return environment.SWITCHYARD_CONFIG;
  return existsSync(resolve('switchyard.yaml')) ? 'switchyard.yaml' : undefined;
}

/**
 * The command's config, loaded without resolving any secret up front: a command resolves only the
 * few it uses, so `keys list` does not need the providers' API keys.
 */
export function loadCliConfig(option: string | undefined, environment: NodeJS.ProcessEnv = process.env): LoadedConfig | undefined {
  const path = findCliConfig(option, environment);
  return path === undefined ? undefined : loadConfigFile(path, environment, { deferSecrets: ALL_SECRETS });
}

/** `--storage` (relative to the working directory, as typed), else the config's, else $SWITCHYARD_STORAGE_URL. */
export function storageUrlFor(flag: string | undefined, loaded: LoadedConfig | undefined, environment: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return resolveStorageUrl(flag, process.cwd());
  if (loaded) return loaded.config.storage.url;
  const fromEnvironment = environment.SWITCHYARD_STORAGE_URL;
  if (fromEnvironment) return resolveStorageUrl(fromEnvironment, process.cwd());
  throw new Error(`no config found to read the database from: ${NO_CONFIG_HINT}; or name the database with --storage sqlite:<path>|postgres://…`);
}

/**
 * Refuses a SQLite file that does not exist: a command reading state must never create an empty
 * database and then report "nothing" — that is how a wrong directory or config went unnoticed.
 */
export function assertDatabaseExists(url: string, loaded: LoadedConfig | undefined): void {
  const location = parseStorageUrl(url);
  if (location.kind !== 'sqlite' || location.path === ':memory:' || existsSync(location.path)) return;
  const from = loaded ? `storage.url of ${loaded.source}` : 'from --storage or $SWITCHYARD_STORAGE_URL';
  throw new Error(
    `no database at ${location.path} (${from}). Check --config/--storage point at the gateway's; the gateway creates the database at its first start, or run \`switchyard migrate${loaded ? ` --config ${loaded.source}` : ''}\``,
  );
}

/** Opens (and migrates) the command's database; `mustExist` for everything that reads state. */
export async function openCliStorage(url: string, loaded: LoadedConfig | undefined, options: { mustExist: boolean }): Promise<Storage> {
  if (options.mustExist) assertDatabaseExists(url, loaded);
  return openMigratedStorage(url);
}

/**
 * The key-store HMAC secret: `--secret-env`, else the config's `identity.key_store.secret`, else
 * $SWITCHYARD_KEY_SECRET. A different secret than the gateway's makes keys that always get 401,
 * so without a config the message names where the quick start's secret lives.
 */
export function keyStoreSecretFor(secretEnv: string | undefined, loaded: LoadedConfig | undefined, environment: NodeJS.ProcessEnv = process.env): string {
  if (secretEnv !== undefined) {
    const value = environment[secretEnv];
    if (!value) throw new Error(`environment variable ${secretEnv} (from --secret-env, the key-store secret) is not set`);
    return value;
  }
  if (loaded) {
    const reference = loaded.config.identity.key_store?.secret;
    if (reference === undefined) {
      throw new Error(
        `${loaded.source} has no identity.key_store.secret, so its gateway accepts no virtual keys; add identity.key_store: { secret: \${file:key-store-secret.txt} } (see docs/identity.md)`,
      );
    }
    return loaded.secret(reference);
  }
  const fallback = environment.SWITCHYARD_KEY_SECRET;
  if (fallback) return fallback;
  throw new Error(
    `no key-store secret: ${NO_CONFIG_HINT} (the quick start's secret is examples/key-store-secret.txt), or export SWITCHYARD_KEY_SECRET with the gateway's identity.key_store.secret`,
  );
}

/**
 * The audit HMAC secret: `--secret-env`, else the config's `audit.secret`, else
 * $SWITCHYARD_AUDIT_SECRET, else (SQLite) the `audit-secret` file the gateway created beside the
 * database. The error says where it looked.
 */
export function auditSecretFor(secretEnv: string | undefined, loaded: LoadedConfig | undefined, storageUrl: string, environment: NodeJS.ProcessEnv = process.env): string {
  if (secretEnv !== undefined) return resolveAuditSecret(secretEnv, environment);
  const reference = loaded?.config.audit.secret;
  if (reference !== undefined) return loaded!.secret(reference);
  try {
    return resolveCliAuditSecret('SWITCHYARD_AUDIT_SECRET', storageUrl, environment);
  } catch (error) {
    // A set but unusable variable (too short) says so itself.
    if (environment.SWITCHYARD_AUDIT_SECRET) throw error;
    const location = parseStorageUrl(storageUrl);
    const besideDatabase =
      location.kind === 'sqlite' && location.path !== ':memory:' ? `, there is no audit-secret file beside ${location.path} (copy it along with a copied database)` : '';
    throw new Error(
      `no audit secret found: ${loaded ? `${loaded.source} sets no audit.secret` : 'no config (--config)'}${besideDatabase}, and SWITCHYARD_AUDIT_SECRET is not set; pass --secret-env <VARIABLE> naming a variable that holds the gateway's audit secret`,
    );
  }
}
