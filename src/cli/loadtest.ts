import { type Command, InvalidArgumentError } from 'commander';
import { BUILTIN_NAMES } from '../loadtest/builtin-scenarios.js';
import { runLoadtest, type LoadtestOptions } from '../loadtest/run-loadtest.js';

const positive = (integer: boolean) => (value: string): number => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0 || (integer && !Number.isInteger(parsed))) throw new InvalidArgumentError(`expected a positive ${integer ? 'integer' : 'number'}`);
  return parsed;
};

interface CliOptions {
  scenario: string[];
  target?: string;
  withMock?: boolean;
  allowRemote?: boolean;
  apiKeyEnv: string;
  out?: string;
  html?: string;
  lang: string;
  duration?: number;
  maxRequests?: number;
  scale?: number;
  model?: string;
  seed?: number;
  failOnSlo?: boolean;
}

/** `switchyard loadtest`: SOP step 6 (docs/loadtest.md). */
export function registerLoadtestCommand(program: Command): void {
  program
    .command('loadtest')
    .description('load, fault and cost test of an OpenAI-compatible endpoint (normal, peak, faults) with a monthly cost projection')
    .option('-s, --scenario <names-or-files>', `built-in (${BUILTIN_NAMES.join(', ')}) or YAML files, comma-separated or repeated; default: all built-ins`, (value: string, previous: string[]) => [...previous, value], [])
    .option('--target <url>', 'OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1 (loopback only unless --allow-remote)')
    .option('--with-mock', 'start two mock upstreams and a gateway on loopback, and inject the scenarios\' faults')
    .option('--allow-remote', 'allow a non-loopback --target (a staging gateway you own; never production or a vendor API)')
    .option('--api-key-env <name>', 'environment variable holding the API key', 'SWITCHYARD_API_KEY')
    .option('--out <file>', 'write the JSON report here instead of stdout')
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--lang <lang>', 'HTML report language: en | zh-TW', 'en')
    .option('--duration <seconds>', 'override every scenario\'s duration_s', positive(false))
    .option('--max-requests <n>', 'override every scenario\'s max_requests', positive(true))
    .option('--scale <factor>', 'multiply every scenario\'s rps or concurrency', positive(false))
    .option('--model <alias>', 'model alias to send (default: the scenario\'s, "chat")')
    .option('--seed <n>', 'seed of the request mix', (value) => Number.parseInt(value, 10))
    .option('--fail-on-slo', 'exit 3 when any scenario misses its SLO (for CI gates)')
    .action(async (cli: CliOptions) => {
      if (cli.lang !== 'en' && cli.lang !== 'zh-TW') throw new InvalidArgumentError(`unknown --lang "${cli.lang}"; use en or zh-TW`);
      const options: LoadtestOptions = {
        scenarios: cli.scenario.length > 0 ? cli.scenario : BUILTIN_NAMES,
        ...(cli.target !== undefined ? { target: cli.target } : {}),
        withMock: cli.withMock === true,
        allowRemote: cli.allowRemote === true,
        apiKeyEnv: cli.apiKeyEnv,
        ...(cli.out !== undefined ? { out: cli.out } : {}),
        ...(cli.html !== undefined ? { html: cli.html } : {}),
        lang: cli.lang,
        ...(cli.duration !== undefined ? { durationS: cli.duration } : {}),
        ...(cli.maxRequests !== undefined ? { maxRequests: cli.maxRequests } : {}),
        ...(cli.scale !== undefined ? { scale: cli.scale } : {}),
        ...(cli.model !== undefined ? { model: cli.model } : {}),
        ...(cli.seed !== undefined && Number.isInteger(cli.seed) ? { seed: cli.seed } : {}),
        failOnSlo: cli.failOnSlo === true,
      };
      process.exitCode = await runLoadtest(options, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    });
}
