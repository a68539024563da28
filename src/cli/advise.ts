import type { Command } from 'commander';
import { runAdvise } from '../advisor/run-advise.js';

/** `switchyard advise`: the deployment advisor (issue 7, docs/advisor.md). */
export function registerAdviseCommand(program: Command): void {
  program
    .command('advise')
    .description('Recommend a deployment mode (api, private-cloud, on-prem, hybrid, multi-cloud) with a risk log, cost projection and report')
    .option('--answers <file>', 'answers file (YAML); without it, an interactive questionnaire runs')
    .option('--format <format>', 'json | md | html', 'md')
    .option('--lang <lang>', 'zh-TW | en', 'en')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--normalize-weights', 'treat weights as relative numbers and scale them to 100')
    .option('--emit-config <file>', 'also write a starter gateway configuration for the recommended mode')
    .action(async (options: { answers?: string; format?: string; lang?: string; out?: string; normalizeWeights?: boolean; emitConfig?: string }) => {
      process.exitCode = await runAdvise(options, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    });
}
