import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, invokedCommand } from './build-program.js';
import { COMMANDS } from './command-table.js';

/** Every command registered up front: what the CLI looked like before commands loaded lazily. */
async function eagerProgram(): Promise<Command> {
  const program = new Command().name('switchyard').description('Switchyard — self-hosted LLM control plane').version('0.1.0').exitOverride();
  for (const entry of COMMANDS) (await entry.load())(program);
  return program;
}

describe('lazily loaded commands', () => {
  it('the table names each registered command with its help term and description', async () => {
    const eager = await eagerProgram();
    const help = eager.createHelp();
    expect(COMMANDS.map(({ name, term, description }) => ({ name, term, description }))).toEqual(
      eager.commands.map((command) => ({ name: command.name(), term: help.subcommandTerm(command), description: command.description() })),
    );
  }, 60_000);

  it('top-level help is the same as with every command loaded', async () => {
    const eager = await eagerProgram();
    expect((await buildProgram(['--help'])).helpInformation()).toBe(eager.helpInformation());
  }, 60_000);

  it('a named command is registered in full (options, subcommands), the others are stubs', async () => {
    const program = await buildProgram(['keys', 'create', '--help']);
    const keys = program.commands.find((command) => command.name() === 'keys');
    expect(keys?.commands.map((command) => command.name())).toContain('create');
    expect(program.commands.find((command) => command.name() === 'serve')?.options).toEqual([]);
  });

  it('finds the command after top-level flags and behind `help`', () => {
    expect(invokedCommand(['scan', '--config', 'x.yaml'])).toBe('scan');
    expect(invokedCommand(['--help'])).toBeUndefined();
    expect(invokedCommand(['help', 'serve'])).toBe('serve');
    expect(invokedCommand([])).toBeUndefined();
  });
});
