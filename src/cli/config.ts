import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { configJsonSchema } from '../assembly/config-schema.js';
import { configPathFrom, loadConfigFile, OFFLINE_DEFERRED_SECRETS } from '../assembly/load-config.js';
import { checkConfigPrices } from './config-check-prices.js';

export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('validate the config or print its JSON Schema');
  config
    .command('check')
    .description('validate a config file; exit 0 when valid, 1 with every problem otherwise')
    .option('-c, --config <file>', 'config file (default: $SWITCHYARD_CONFIG or ./switchyard.yaml)')
    .option('--offline', 'do not resolve ${env:…} values or provider credentials (checking a config on another machine than the gateway\'s)')
    .action((options: { config?: string; offline?: boolean }) => {
      const path = configPathFrom(options.config);
      try {
        const loaded = loadConfigFile(path, process.env, options.offline ? { deferSecrets: OFFLINE_DEFERRED_SECRETS } : {});
        const { config: parsed } = loaded;
        if (!checkConfigPrices(loaded, (line) => process.stderr.write(`${line}\n`))) process.exitCode = 1;
        // Counts only: never echo values, which may include resolved endpoints or key ids.
        process.stdout.write(
          `${path}: ok (${parsed.deployments.length} deployments, ${parsed.models.length} model aliases, ${parsed.auth.keys.length} keys)\n`,
        );
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 1;
      }
    });
  config
    .command('schema')
    .description('print the JSON Schema of the config file (for editor completion)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });
}
