// `node bench/profile.mjs <scenario> [--concurrency N] [--duration S] [--bytes B] [--stream]
//   [--cpu-prof] [--heap-snapshot]` — one Switchyard scenario (bench/configs/<scenario>.yaml)
// under load against the mock, for profiling: CPU per request and RSS as in `npm run bench`,
// plus, on request, a V8 CPU profile (`--cpu-prof`, written when the gateway exits) or a heap
// snapshot taken under load (SIGUSR2 → `--heapsnapshot-signal`). Files land in the printed
// folder. Runs the BUILT gateway (`npm run build` first).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAutocannon, runStreamClient } from './lib/load.mjs';
import { chatBody } from './lib/prompts.mjs';
import { freePort, processStats, startProcess } from './lib/processes.mjs';
import { BENCH_KEY_ENVIRONMENT, keyFor } from './lib/virtual-key.mjs';
import { GATEWAY_NODE_FLAGS } from './lib/gateway-node-flags.mjs';

const ROOT = resolve(import.meta.dirname, '..');
// BENCH_CLI: a copy of dist/ (inside the repository, as for run.mjs) to profile an older build.
const CLI = process.env.BENCH_CLI ? resolve(process.env.BENCH_CLI) : join(ROOT, 'dist/cli/index.js');
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    concurrency: { type: 'string', default: '64' },
    duration: { type: 'string', default: '10' },
    bytes: { type: 'string', default: '1024' },
    stream: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'heap-snapshot': { type: 'boolean', default: false },
    /** Extra node flags for the gateway, e.g. "--max-semi-space-size=4". */
    'node-flags': { type: 'string', default: '' },
  },
});
const scenario = positionals[0] ?? 'pure-proxy';
const workDir = mkdtempSync(join(tmpdir(), 'switchyard-profile-'));
const BENCH_KEY = 'sy-bench-key-not-secret';

const mockPort = await freePort();
const mockUrl = `http://127.0.0.1:${mockPort}`;
const mock = await startProcess({ name: 'mock', command: process.execPath, args: [CLI, 'mock-upstream', '--port', String(mockPort), '--request-log-size', '0'], readyUrl: `${mockUrl}/healthz`, logDir: workDir });
const port = await freePort();
const configPath = join(workDir, `${scenario}.yaml`);
const configText = readFileSync(join(import.meta.dirname, 'configs', `${scenario}.yaml`), 'utf8').replaceAll('{{MOCK_URL}}', mockUrl);
writeFileSync(configPath, configText);
const flags = [...GATEWAY_NODE_FLAGS, ...options['node-flags'].split(' ').filter(Boolean), ...(options['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${workDir}`] : []), ...(options['heap-snapshot'] ? ['--heapsnapshot-signal=SIGUSR2'] : [])];
const gateway = await startProcess({
  name: 'gateway',
  command: process.execPath,
  args: [...flags, CLI, 'serve', '--config', configPath, '--port', String(port)],
  cwd: workDir,
  env: { BENCH_KEY, ...BENCH_KEY_ENVIRONMENT, NODE_ENV: 'production' },
  readyUrl: `http://127.0.0.1:${port}/healthz`,
  logDir: workDir,
});
const url = `http://127.0.0.1:${port}/v1/chat/completions`;
const headers = { authorization: `Bearer ${await keyFor(configText, `http://127.0.0.1:${port}`, BENCH_KEY)}` };
const body = chatBody({ model: 'bench-model', promptBytes: Number(options.bytes), stream: options.stream });
const connections = Number(options.concurrency);
const durationSec = Number(options.duration);
const run = () => (options.stream ? runStreamClient({ url, headers, body, concurrency: connections, durationSec }) : runAutocannon({ url, headers, body, connections, durationSec }));
try {
  await (options.stream ? runStreamClient({ url, headers, body, concurrency: connections, durationSec: 2 }) : runAutocannon({ url, headers, body, connections, durationSec: 2 }));
  const before = processStats(gateway.pid);
  // RSS sampled during the run too: the GC sawtooth's peak, not just where it happens to end.
  let rssMaxBytes = before.rssBytes;
  const sampler = setInterval(() => (rssMaxBytes = Math.max(rssMaxBytes, processStats(gateway.pid).rssBytes)), 250);
  const result = await run().finally(() => clearInterval(sampler));
  const after = processStats(gateway.pid);
  if (options['heap-snapshot']) {
    process.kill(gateway.pid, 'SIGUSR2');
    await new Promise((done) => setTimeout(done, 8_000));
  }
  console.log(
    JSON.stringify({ scenario, stream: options.stream, bytes: Number(options.bytes), connections, rps: Math.round(result.rps), failures: result.failures, p50: result.latencyMs.p50, cpuMsPerRequest: (after.cpuMs - before.cpuMs) / result.requests, rssMb: after.rssBytes / 2 ** 20, rssMaxMb: Math.max(rssMaxBytes, after.rssBytes) / 2 ** 20 }),
  );
} finally {
  await gateway.stop();
  await mock.stop();
}
console.log(`files: ${workDir} (${readdirSync(workDir).join(', ')})`);
