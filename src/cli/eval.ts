import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadBank } from '../eval/question-bank.js';
import { renderEvalHtml } from '../eval/report-html.js';
import { parseTarget, runEval } from '../eval/run-eval.js';
import type { EvalReport } from '../eval/eval-report.js';
import { evalReportJsonSchema } from '../eval/eval-report-schema.js';
import { progressBar } from './progress-bar.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function textSummary(report: EvalReport): string {
  const lines = [`${report.bank.items} items × ${report.targets.length} target(s) through ${report.gateway}`];
  for (const target of report.targets) {
    lines.push(`${target.target}${target.servedBy.length > 0 ? ` (served by ${target.servedBy.join(', ')})` : ''}: ${target.overall.passed}/${target.overall.items} passed`);
    for (const [category, stats] of Object.entries(target.categories)) {
      lines.push(`  ${category.padEnd(20)} ${(stats.passRate * 100).toFixed(1).padStart(5)} %  p95 ${stats.latencyMs.p95} ms  PII leaks ${stats.piiLeaks}  $/item ${stats.costPerItemUsd.toFixed(6)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `switchyard eval run|schema`: the question bank through the gateway, as JSON, HTML or a summary. */
export function registerEvalCommand(program: Command): void {
  const evaluate = program.command('eval').description('run a question bank through the gateway and report per target and category');
  evaluate
    .command('run')
    .requiredOption('--bank <file>', 'question bank (.yaml or .jsonl)')
    .requiredOption('--gateway <url>', 'gateway base URL, e.g. http://127.0.0.1:8080')
    .option('--key <key>', 'API key (pinning a release needs the releases:evaluate scope)')
    .option('--key-env <name>', 'read the API key from this environment variable instead', 'SWITCHYARD_API_KEY')
    .option('--target <alias[@release]>', 'alias, optionally pinned to a release (repeatable)', collect, [])
    .option('--judge <alias>', 'grade `judge` rubrics with this alias (off by default)')
    .option('--concurrency <n>', 'items in flight per target', (value) => Number.parseInt(value, 10), 4)
    .option('--format <format>', 'text | json | html', 'text')
    .option('--out <file>', 'write the report here instead of stdout')
    .option('--publish', 'store the summaries in the gateway (quality dashboard; needs releases:evaluate)')
    .action(async (options: { bank: string; gateway: string; key?: string; keyEnv: string; target: string[]; judge?: string; concurrency: number; format: string; out?: string; publish?: boolean }) => {
      if (!['text', 'json', 'html'].includes(options.format)) throw new Error(`--format '${options.format}' is not one of text, json, html`);
      if (options.target.length === 0) throw new Error('give at least one --target ALIAS[@RELEASE]');
      const key = options.key ?? process.env[options.keyEnv];
      if (!key) throw new Error(`no API key: pass --key KEY or set $${options.keyEnv}`);
      const targets = options.target.map(parseTarget);
      const bank = { path: options.bank, ...loadBank(options.bank) };
      const report = await runEval({
        gateway: options.gateway,
        key,
        bank,
        targets,
        concurrency: options.concurrency,
        ...(options.judge ? { judge: options.judge } : {}),
        ...(process.stderr.isTTY ? { onProgress: progressBar(process.stderr) } : {}),
      });
      const output = options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : options.format === 'html' ? renderEvalHtml(report) : textSummary(report);
      if (options.publish) {
        const response = await fetch(`${options.gateway.replace(/\/+$/, '')}/admin/releases/evaluations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(report),
        });
        const body = (await response.json().catch(() => ({}))) as { stored?: string[]; error?: { message?: string } };
        if (!response.ok) throw new Error(`publishing the report failed (HTTP ${response.status}): ${body.error?.message ?? 'no details'}`);
        process.stderr.write(`published evaluations of ${(body.stored ?? []).join(', ') || 'no release'}\n`);
      }
      if (options.out) {
        writeFileSync(options.out, output);
        process.stderr.write(`wrote ${options.out}\n`);
      } else {
        process.stdout.write(output);
      }
    });
  evaluate
    .command('schema')
    .description('print the JSON Schema of the --format json report')
    .action(() => {
      process.stdout.write(`${JSON.stringify(evalReportJsonSchema(), null, 2)}\n`);
    });
}
