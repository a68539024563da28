import { ConfigError, type ConfigProblem } from '../config/config-error.js';
import type { LoadedConfig } from '../assembly/load-config.js';
import { MeteringReloadRefused, type MeteringRuntime } from '../metering/metering-runtime.js';

/**
 * A reload is all or nothing for money. Prices, budgets, fixed costs and the price catalogue
 * switch with the config; a metering change that cannot apply to a running period (a budget's
 * period, the metering time zone) refuses the whole reload with the reason, and the old config
 * stays. The database and the audit settings were only ever read at start (documented): a change
 * there is reported through `warn` as taking effect at the next restart, as before.
 * Returns the commit to run once the new runtime is in place.
 */
export function prepareServicesReload(started: LoadedConfig, next: LoadedConfig, metering: MeteringRuntime, warn: (message: string) => void = () => undefined): () => void {
  const problems: ConfigProblem[] = [];
  const restart = (path: string, what: string) => warn(`${path}: ${what} changed in the file but is only read at start; the gateway keeps the running one until it restarts`);
  if (started.config.storage.url !== next.config.storage.url) restart('storage.url', 'the database');
  if (JSON.stringify(started.config.audit) !== JSON.stringify(next.config.audit)) restart('audit', 'the audit settings');
  let commitMetering: (() => void) | undefined;
  try {
    commitMetering = metering.prepare({ config: next.config.metering, deployments: next.config.deployments, baseDirectory: next.baseDirectory });
  } catch (error) {
    if (!(error instanceof MeteringReloadRefused)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !commitMetering) throw new ConfigError(next.source, problems);
  return commitMetering;
}
