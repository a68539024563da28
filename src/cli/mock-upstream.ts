import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { startMockUpstream, type MockOptionsInput } from '../providers/mock/mock-upstream-server.js';

/**
 * `switchyard mock-upstream`: the mock provider as a standalone OpenAI / Azure / Anthropic
 * compatible server, for end-to-end tests, benchmarks and demos without a real provider.
 * Prints one line, `mock-upstream listening on <url>`, on stderr once it accepts connections
 * (like `serve`), and exits 0 on SIGTERM/SIGINT. Knobs and fault controls:
 * src/providers/mock/README.md.
 */

interface MockUpstreamCliOptions {
  port: number;
  host: string;
  name: string;
  reply?: 'echo' | 'scripted' | 'lorem';
  script: string[];
  scriptFile?: string;
  loremTokens?: number;
  ttftMs?: number;
  tokensPerSecond?: number;
  usage: boolean;
  embeddingDimensions?: number;
  seed?: number;
  errorRate?: number;
  errorStatus?: number;
  rateLimitRate?: number;
  retryAfterSeconds?: number;
  resetRate?: number;
  hangRate?: number;
  streamCutRate?: number;
  streamCutAfterChunks?: number;
  requestLogSize?: number;
  apiKeyEnv?: string;
}

function number(min: number, max = Number.POSITIVE_INFINITY, integer = false) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
      throw new InvalidArgumentError(`expected ${integer ? 'an integer' : 'a number'} between ${min} and ${max}`);
    }
    return parsed;
  };
}

const rate = number(0, 1);
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** CLI flags → mock options; only flags actually given override the schema defaults. */
function toMockOptions(cli: MockUpstreamCliOptions): MockOptionsInput {
  const script = [...cli.script];
  if (cli.scriptFile) script.push(...readFileSync(cli.scriptFile, 'utf8').split('\n').filter((line) => line.trim() !== ''));
  const faults: NonNullable<MockOptionsInput['faults']> = {};
  const setFault = <K extends keyof typeof faults>(key: K, value: (typeof faults)[K] | undefined) => {
    if (value !== undefined) faults[key] = value;
  };
  setFault('error_rate', cli.errorRate);
  setFault('error_status', cli.errorStatus);
  setFault('rate_limit_rate', cli.rateLimitRate);
  setFault('retry_after_seconds', cli.retryAfterSeconds);
  setFault('reset_rate', cli.resetRate);
  setFault('hang_rate', cli.hangRate);
  setFault('stream_cut_rate', cli.streamCutRate);
  setFault('stream_cut_after_chunks', cli.streamCutAfterChunks);
  return {
    ...(cli.reply !== undefined ? { reply: cli.reply } : {}),
    ...(script.length > 0 ? { script } : {}),
    ...(cli.loremTokens !== undefined ? { lorem_tokens: cli.loremTokens } : {}),
    ...(cli.ttftMs !== undefined ? { ttft_ms: cli.ttftMs } : {}),
    ...(cli.tokensPerSecond !== undefined ? { tokens_per_second: cli.tokensPerSecond } : {}),
    ...(cli.embeddingDimensions !== undefined ? { embedding_dimensions: cli.embeddingDimensions } : {}),
    ...(cli.seed !== undefined ? { seed: cli.seed } : {}),
    ...(cli.requestLogSize !== undefined ? { request_log_size: cli.requestLogSize } : {}),
    report_usage: cli.usage,
    faults,
  };
}

export function registerMockUpstreamCommand(program: Command): void {
  program
    .command('mock-upstream')
    .description('run the mock provider as an OpenAI / Azure OpenAI / Anthropic compatible HTTP server')
    .option('-p, --port <port>', 'listen port (0 = any free port)', number(0, 65_535, true), 4010)
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--name <name>', 'instance name matched by @target in fault specs', 'mock')
    .option('--reply <mode>', 'echo | scripted | lorem', (value) => {
      if (value !== 'echo' && value !== 'scripted' && value !== 'lorem') throw new InvalidArgumentError('expected echo, scripted or lorem');
      return value;
    })
    .option('--script <line>', 'a scripted reply line (repeatable)', collect, [])
    .option('--script-file <file>', 'scripted reply lines, one per line')
    .option('--lorem-tokens <n>', 'tokens per lorem reply', number(1, 1_000_000, true))
    .option('--ttft-ms <ms>', 'delay before the first byte', number(0))
    .option('--tokens-per-second <n>', 'stream pacing (0 = no delay)', number(0))
    .option('--no-usage', 'do not report token usage')
    .option('--embedding-dimensions <n>', 'embedding vector size', number(1, 4096, true))
    .option('--seed <n>', 'seed the fault draws for a reproducible run', number(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true))
    .option('--error-rate <r>', 'share of requests answered with --error-status', rate)
    .option('--error-status <status>', 'status for injected errors', number(400, 599, true))
    .option('--rate-limit-rate <r>', 'share of requests answered 429', rate)
    .option('--retry-after-seconds <s>', 'Retry-After of injected 429s', number(0))
    .option('--reset-rate <r>', 'share of connections reset without an answer', rate)
    .option('--hang-rate <r>', 'share of requests never answered', rate)
    .option('--stream-cut-rate <r>', 'share of streams cut mid-answer', rate)
    .option('--stream-cut-after-chunks <n>', 'content chunks sent before a cut', number(0, Number.MAX_SAFE_INTEGER, true))
    .option('--request-log-size <n>', 'requests kept for GET /__mock/requests', number(0, 100_000, true))
    .option('--api-key-env <name>', 'require the key held in this environment variable')
    .action(async (cli: MockUpstreamCliOptions) => {
      let apiKey: string | undefined;
      if (cli.apiKeyEnv !== undefined) {
        apiKey = process.env[cli.apiKeyEnv];
        // A missing key must not silently turn authentication off.
        if (apiKey === undefined || apiKey === '') throw new Error(`environment variable ${cli.apiKeyEnv} (from --api-key-env) is not set`);
      }
      const upstream = await startMockUpstream({
        port: cli.port,
        host: cli.host,
        name: cli.name,
        options: toMockOptions(cli),
        ...(apiKey !== undefined ? { apiKey } : {}),
      });
      process.stderr.write(`mock-upstream listening on ${upstream.url}\n`);
      const stop = () => {
        upstream.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
