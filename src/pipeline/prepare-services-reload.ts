import { ConfigError, type ConfigProblem } from '../config/config-error.js';
import type { LoadedConfig } from '../config/load-config.js';
import { MeteringReloadRefused, type MeteringRuntime } from '../metering/metering-runtime.js';

/**
 * A reload is all or nothing. Prices, budgets, fixed costs and the price catalogue switch with
 * the config; what cannot switch under a running gateway (the database, the audit key, a budget
 * period mid-period) refuses the whole reload with the reason, and the old config stays.
 * Returns the commit to run once the new runtime is in place.
 */
export function prepareServicesReload(started: LoadedConfig, next: LoadedConfig, metering: MeteringRuntime): () => void {
  const problems: ConfigProblem[] = [];
  const restart = (path: string, what: string) =>
    problems.push({ path, message: `${what} cannot change while the gateway runs; restart it to apply the change` });
  if (started.config.storage.url !== next.config.storage.url) restart('storage.url', 'the database');
  if (started.config.audit.secret !== next.config.audit.secret) restart('audit.secret', 'the audit key');
  if (started.config.audit.enabled !== next.config.audit.enabled) restart('audit.enabled', 'turning audit on or off');
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
