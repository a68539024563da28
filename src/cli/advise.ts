import type { Command } from 'commander';
import { type AdviseOptions, runAdvise } from '../advisor/run-advise.js';

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
    .option('--audit-export <file>', 'JSONL audit export (switchyard audit export): use measured traffic for the cost inputs the answers file leaves out')
    .option('--traffic-from <file>', 'JSON report of switchyard loadtest: use its measured mix, retry rate and peak factor for the cost inputs the answers file leaves out')
    .action(async (options: AdviseOptions) => {
      process.exitCode = await runAdvise(options, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    });
}
