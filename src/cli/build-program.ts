import { Command } from 'commander';
import { COMMANDS } from './command-table.js';

/**
 * The command the arguments name (`switchyard <command> …`, `switchyard help <command>`), if any.
 * Top-level options (`--help`, `--version`) take no value, so the first bare word is the command.
 */
export function invokedCommand(args: readonly string[]): string | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * The commander program for `args` (process.argv without node and the script): the named command
 * is loaded and registered in full; every other one is a stub carrying only its help line, so
 * `switchyard --help` or `switchyard scan` does not load the gateway, the advisor or OpenTelemetry.
 */
export async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command()
    .name('switchyard')
    .description('Switchyard — self-hosted LLM control plane')
    .version('0.1.0')
    .exitOverride();
  const wanted = invokedCommand(args);
  const terms = new Map<Command, string>();
  for (const entry of COMMANDS) {
    if (entry.name === wanted) {
      (await entry.load())(program);
    } else {
      terms.set(program.command(entry.name).description(entry.description), entry.term);
    }
  }
  const helper = program.createHelp();
  program.configureHelp({ subcommandTerm: (command) => terms.get(command) ?? helper.subcommandTerm(command) });
  return program;
}
