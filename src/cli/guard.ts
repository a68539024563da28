import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { z } from 'zod';
import { configPathFrom, loadConfigFile } from '../assembly/load-config.js';
import { defaultGuardConfig } from '../guard/guard-config-schema.js';
import { createGuardRuntime, type GuardRuntime } from '../guard/guard-runtime.js';
import { guardItemSchema, toGuardOutput } from '../guard/guard-wire.js';

/**
 * `switchyard guard`: JSON Lines `{"id","text"}` on stdin → `{"id","verdict","categories","scores"}`
 * on stdout, in input order, with the default guard configuration or the `guard:` section of
 * `--config`. The principal is unknown here, so role claims are scored as unverified-but-unknown.
 * A bad line: one line on stderr naming its number (never its content), no output, the run goes
 * on; exit 1 if any line was bad, 2 if the config is unusable.
 */

export interface GuardStreams {
  input: Readable;
  output: Writable;
  errors: Writable;
}

function describe(error: unknown): string {
  if (error instanceof z.ZodError) return error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

export async function runGuard(guard: GuardRuntime, streams: GuardStreams): Promise<{ checked: number; failed: number }> {
  const lines = createInterface({ input: streams.input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let checked = 0;
  let failed = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let id: string | number | undefined;
    try {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error('invalid JSON (expected {"id","text"})');
      }
      const candidate = (value as { id?: unknown } | null)?.id;
      if (typeof candidate === 'string' || typeof candidate === 'number') id = candidate;
      const item = guardItemSchema.parse(value);
      const decision = await guard.check([{ text: item.text }]);
      if (!streams.output.write(`${JSON.stringify(toGuardOutput(item.id, decision))}\n`)) await once(streams.output, 'drain');
      checked += 1;
    } catch (error) {
      failed += 1;
      const where = id === undefined ? `line ${lineNumber}` : `line ${lineNumber} (id ${JSON.stringify(id)})`;
      streams.errors.write(`switchyard guard: ${where}: ${describe(error).replace(/\s+/g, ' ')}\n`);
    }
  }
  return { checked, failed };
}

export function registerGuardCommand(program: Command): Command {
  return program
    .command('guard')
    .description('Score JSON Lines {"id","text"} from stdin for prompt injection, jailbreak, privilege escalation, exfiltration and prompt leaks; write {"id","verdict","categories","scores"} lines')
    .option('-c, --config <file>', 'use the guard: section of this gateway config (default: built-in defaults)')
    .action(async (options: { config?: string }) => {
      let guard: GuardRuntime;
      try {
        const config = options.config === undefined ? defaultGuardConfig() : loadConfigFile(configPathFrom(options.config)).config.guard;
        guard = createGuardRuntime(config);
      } catch (error) {
        process.stderr.write(`switchyard guard: ${describe(error).split('\n')[0]}\n`);
        process.exitCode = 2;
        return;
      }
      const { failed } = await runGuard(guard, { input: process.stdin, output: process.stdout, errors: process.stderr });
      if (failed > 0) {
        process.stderr.write(`switchyard guard: ${failed} line(s) could not be checked\n`);
        process.exitCode = 1;
      }
    });
}
