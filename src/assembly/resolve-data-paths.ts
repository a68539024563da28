import { isAbsolute, resolve } from 'node:path';
import { resolveStorageUrl } from '../storage/storage-url.js';
import type { SwitchyardConfig } from './config-schema.js';

/**
 * Makes every data path in a parsed config absolute against the config file's directory, as
 * `${file:…}` references and dictionaries already were: the database (`storage.url`, also its
 * default), the audit spool and TLS files. A config and its state then travel together, and the
 * gateway and every CLI command pointed at one config use one database, whatever the working
 * directory. Mutates and returns `config`.
 */
export function resolveDataPaths(config: SwitchyardConfig, baseDirectory: string): SwitchyardConfig {
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(baseDirectory, path));
  config.storage.url = resolveStorageUrl(config.storage.url, baseDirectory);
  config.audit.spool_path = absolute(config.audit.spool_path);
  for (const deployment of config.deployments) {
    const tls = deployment.tls;
    if (tls === undefined) continue;
    if (tls.ca_file !== undefined) tls.ca_file = absolute(tls.ca_file);
    if (tls.cert_file !== undefined) tls.cert_file = absolute(tls.cert_file);
    if (tls.key_file !== undefined) tls.key_file = absolute(tls.key_file);
  }
  return config;
}
