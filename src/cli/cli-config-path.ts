import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';

/** Which config file a CLI command uses (cli-config.ts loads it). */

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

