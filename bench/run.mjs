// `npm run bench` — Switchyard side by side with the mock alone and the Portkey gateway, on
// loopback, in one run. Method and latest figures: BENCHMARKS.md. Runs the BUILT gateway
// (dist/), each target as its own process, and this process as the load generator.
//
//   node bench/run.mjs [--quick] [--rounds N] [--duration S] [--scenarios a,b] [--no-portkey]
//   node bench/run.mjs --soak MINUTES [--scenarios switchyard-pure-proxy]
//   node bench/run.mjs --baseline ../old/dist/cli/index.js --cells unary-1024-64,unary-8192-64   (A/B of two builds in one run)
//   node bench/run.mjs --floor   (adds a bare node:http + undici forwarder: the ceiling for any Node gateway here)
//
// Scenarios: `direct` (the mock itself), one `switchyard-<name>` per bench/configs/<name>.yaml
// (drop in a config to benchmark it), and `portkey`.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chatBody } from './lib/prompts.mjs';
import { freePort, processStats, startProcess } from './lib/processes.mjs';
import { installPortkey, PORTKEY_VERSION } from './lib/portkey.mjs';
import { runAutocannon, runStreamClient } from './lib/load.mjs';
import { checkTargets, partialMarkdown, resultsMarkdown, soakMarkdown, summarise, writeRegion } from './lib/report.mjs';
import { runSoak } from './lib/soak.mjs';
import { BENCH_KEY_ENVIRONMENT, keyFor } from './lib/virtual-key.mjs';
import { GATEWAY_NODE_FLAGS } from './lib/gateway-node-flags.mjs';

const ROOT = resolve(import.meta.dirname, '..');
// BENCH_CLI: a copy of dist/ to benchmark while the working tree is rebuilt (it must sit inside
// the repository, so the copy resolves node_modules the same way).
const CLI = process.env.BENCH_CLI ? resolve(process.env.BENCH_CLI) : join(ROOT, 'dist/cli/index.js');
const BENCH_KEY = 'sy-bench-key-not-secret';
const MODEL = 'bench-model';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    scenarios: { type: 'string' },
    'no-portkey': { type: 'boolean', default: false },
    soak: { type: 'string' },
    /** A second build's CLI (e.g. a worktree's dist/cli/index.js): adds `baseline-<name>` targets for an A/B in one run. */
    baseline: { type: 'string' },
    /** Only these cells, e.g. `unary-1024-64,stream-1024-64` (mode-bytes-concurrency). */
    cells: { type: 'string' },
    /** Also measure the floor: a bare node:http + undici forwarder (bench/lib/floor-proxy.mjs). */
    floor: { type: 'boolean', default: false },
  },
});
const rounds = Number(options.rounds ?? (options.quick ? 2 : 5));
const durationSec = Number(options.duration ?? (options.quick ? 1.5 : 10));
const log = (message) => process.stderr.write(`[bench] ${message}\n`);
const command = `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
const workDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));

const configScenarios = readdirSync(join(import.meta.dirname, 'configs'))
  .filter((file) => file.endsWith('.yaml'))
  .sort()
  .map((file) => ({ id: `switchyard-${basename(file, '.yaml')}`, kind: 'switchyard', config: join(import.meta.dirname, 'configs', file) }));
const baselineCli = options.baseline ? resolve(options.baseline) : undefined;
const baselineScenarios = baselineCli ? configScenarios.map((scenario) => ({ ...scenario, id: scenario.id.replace(/^switchyard-/, 'baseline-'), cli: baselineCli })) : [];
let scenarios = [
  { id: 'direct', kind: 'direct' },
  ...(options.floor ? [{ id: 'node-floor', kind: 'floor' }] : []),
  ...configScenarios,
  ...baselineScenarios,
  ...(options['no-portkey'] ? [] : [{ id: 'portkey', kind: 'portkey' }]),
];
// The soak runs the pure proxy unless --scenarios names another.
if (options.soak && !options.scenarios) scenarios = scenarios.filter((scenario) => scenario.id === 'switchyard-pure-proxy');
if (options.scenarios) {
  const wanted = new Set(options.scenarios.split(','));
  scenarios = scenarios.filter((scenario) => wanted.has(scenario.id) || (scenario.id === 'direct' && !options.soak));
}

const running = [];
const stopAll = () => Promise.all(running.map((child) => child.stop()));
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

/** Starts what a scenario needs; returns how to reach it, or throws. */
async function startTarget(scenario, mockUrl) {
  if (scenario.kind === 'direct') return { url: `${mockUrl}/v1/chat/completions`, headers: { authorization: 'Bearer unused' }, pid: undefined };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  if (scenario.kind === 'switchyard') {
    const configPath = join(workDir, `${scenario.id}.yaml`);
    const configText = readFileSync(scenario.config, 'utf8').replaceAll('{{MOCK_URL}}', mockUrl);
    writeFileSync(configPath, configText);
    const child = await startProcess({
      name: scenario.id,
      command: process.execPath,
      // As the container image starts it (Dockerfile ENTRYPOINT).
      args: [...GATEWAY_NODE_FLAGS, scenario.cli ?? CLI, 'serve', '--config', configPath, '--port', String(port)],
      // Relative storage paths (SQLite, audit spool) land in the run's temporary folder.
      cwd: workDir,
      env: { BENCH_KEY, ...BENCH_KEY_ENVIRONMENT, NODE_ENV: 'production' },
      readyUrl: `${base}/healthz`,
      logDir: workDir,
    });
    running.push(child);
    const key = await keyFor(configText, base, BENCH_KEY);
    return { url: `${base}/v1/chat/completions`, headers: { authorization: `Bearer ${key}` }, pid: child.pid, virtualKey: key !== BENCH_KEY };
  }
  if (scenario.kind === 'floor') {
    const child = await startProcess({
      name: scenario.id,
      command: process.execPath,
      args: [join(import.meta.dirname, 'lib/floor-proxy.mjs'), '--port', String(port), '--upstream', mockUrl],
      readyUrl: `${base}/healthz`,
      logDir: workDir,
    });
    running.push(child);
    return { url: `${base}/v1/chat/completions`, headers: {}, pid: child.pid };
  }
  const { folder, entry } = await installPortkey(log);
  const child = await startProcess({
    name: 'portkey',
    command: process.execPath,
    args: [entry, `--port=${port}`, '--headless'],
    cwd: folder,
    env: { NODE_ENV: 'production' },
    readyUrl: `${base}/`,
    logDir: workDir,
  });
  running.push(child);
  return {
    url: `${base}/v1/chat/completions`,
    headers: { authorization: 'Bearer unused', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${mockUrl}/v1` },
    pid: child.pid,
  };
}

/** One request per mode before measuring: a target that answers wrongly is not benchmarked. */
async function smokeTest(target) {
  for (const stream of [false, true]) {
    const response = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body: chatBody({ model: MODEL, promptBytes: 1024, stream }) });
    const text = await response.text();
    if (response.status !== 200 || !(stream ? text.includes('[DONE]') : text.includes('"choices"'))) {
      throw new Error(`${stream ? 'stream' : 'non-stream'} smoke request answered ${response.status}: ${text.slice(0, 300)}`);
    }
  }
}

async function measure(target, cell) {
  const body = chatBody({ model: MODEL, promptBytes: cell.promptBytes, stream: cell.mode === 'stream' });
  const before = target.pid ? processStats(target.pid) : undefined;
  const run =
    cell.mode === 'stream'
      ? await runStreamClient({ url: target.url, headers: target.headers, body, concurrency: cell.concurrency, durationSec })
      : await runAutocannon({ url: target.url, headers: target.headers, body, connections: cell.concurrency, durationSec });
  if (target.pid && before) {
    const after = processStats(target.pid);
    run.cpuMsPerRequest = run.requests > 0 ? (after.cpuMs - before.cpuMs) / run.requests : null;
    run.rssBytes = after.rssBytes;
  }
  return run;
}

async function main() {
  const mockPort = await freePort();
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const mock = await startProcess({
    name: 'mock-upstream',
    command: process.execPath,
    // Zero delay (the defaults) and no request log: the mock should be the cheapest hop.
    args: [CLI, 'mock-upstream', '--port', String(mockPort), '--request-log-size', '0'],
    readyUrl: `${mockUrl}/healthz`,
    logDir: workDir,
  });
  running.push(mock);

  const targets = {};
  const portkey = { version: PORTKEY_VERSION, error: null };
  for (const scenario of scenarios) {
    try {
      targets[scenario.id] = await startTarget(scenario, mockUrl);
      await smokeTest(targets[scenario.id]);
      log(`${scenario.id} ready (${targets[scenario.id].url})`);
    } catch (error) {
      delete targets[scenario.id];
      log(`${scenario.id} left out: ${error.message}`);
      if (scenario.kind === 'portkey') portkey.error = error.message.split('\n')[0];
      else if (scenario.kind !== 'portkey') throw error;
    }
  }
  const ids = Object.keys(targets);

  if (options.soak) return soak(ids, targets);

  const cells = [];
  for (const mode of ['unary', 'stream'])
    for (const promptBytes of [1024, 8192])
      for (const concurrency of [1, 16, 64]) cells.push({ key: `${mode}-${promptBytes}-${concurrency}`, mode, promptBytes, concurrency });
  if (options.cells) {
    const wanted = new Set(options.cells.split(','));
    cells.splice(0, cells.length, ...cells.filter((cell) => wanted.has(cell.key)));
    if (cells.length === 0) throw new Error(`--cells named no known cell; cells are mode-bytes-concurrency, e.g. unary-1024-64`);
  }

  // Warm-up: JIT and connection pools, untimed; both prompt sizes (the scanners' code paths differ).
  for (const id of ids) for (const mode of ['unary', 'stream']) for (const promptBytes of [1024, 8192]) await measure(targets[id], { mode, promptBytes, concurrency: 16 });

  const results = [];
  for (let round = 0; round < rounds; round++) {
    const measured = {};
    for (const cell of cells) {
      measured[cell.key] = {};
      // Alternate: each round starts the cell with another target, so drift and thermal state
      // do not always favour the same one.
      const order = ids.map((_, index) => ids[(index + round) % ids.length]);
      for (const id of order) {
        measured[cell.key][id] = await measure(targets[id], cell);
        const run = measured[cell.key][id];
        log(`round ${round + 1}/${rounds} ${cell.key} ${id}: ${run.rps.toFixed(0)} req/s, p50 ${run.latencyMs.p50?.toFixed(3)} ms${run.cpuMsPerRequest ? `, ${run.cpuMsPerRequest.toFixed(3)} CPU-ms/req` : ''}${run.failures ? `, ${run.failures} failed` : ''}`);
      }
    }
    results.push(measured);
  }

  const summary = summarise(results, cells, ids);
  const proxyId = ids.find((id) => id === 'switchyard-pure-proxy');
  const fullId = ids.find((id) => id === 'switchyard-full-pipeline');
  const result = {
    date: new Date().toISOString(),
    command: options.quick ? 'npm run bench -- --quick' : command,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    rounds,
    durationSec,
    portkey,
    scenarios: scenarios.map(({ id, kind, config }) => ({ id, kind, ...(config ? { config: config.slice(ROOT.length + 1) } : {}) })),
    checks: checkTargets(summary, { proxyId, fullId }),
    summary,
    raw: results,
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  if (options.cells || options.baseline) {
    // A probe or an A/B, not a full run: keep the full run's results and BENCHMARKS.md tables.
    writeFileSync(join(import.meta.dirname, 'results/partial-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${partialMarkdown(result)}\n`);
    log(`results: bench/results/partial-latest.json (logs of this run: ${workDir})`);
    return;
  }
  writeFileSync(join(import.meta.dirname, 'results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeRegion(join(ROOT, 'BENCHMARKS.md'), 'results', resultsMarkdown(result), '# Benchmarks\n');
  log(`results: bench/results/latest.json and BENCHMARKS.md (logs of this run: ${workDir})`);
}

async function soak(ids, targets) {
  const id = ids.find((candidate) => candidate.startsWith('switchyard-'));
  if (!id) throw new Error('--soak needs a switchyard scenario');
  const minutes = Number(options.soak);
  const concurrency = 16;
  log(`soak: ${id} for ${minutes} min at c=${concurrency}`);
  const outcome = await runSoak({
    url: targets[id].url,
    headers: targets[id].headers,
    body: chatBody({ model: MODEL, promptBytes: 1024, stream: false }),
    connections: concurrency,
    minutes,
    pid: targets[id].pid,
    log,
  });
  const soakResult = { date: new Date().toISOString(), command: `npm run bench -- --soak ${minutes}`, node: process.version, target: id, mode: 'non-stream', promptBytes: 1024, concurrency, minutes, ...outcome };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results/soak-latest.json'), `${JSON.stringify(soakResult, null, 2)}\n`);
  writeRegion(join(ROOT, 'BENCHMARKS.md'), 'soak', soakMarkdown(soakResult), '# Benchmarks\n');
}

main()
  .catch((error) => {
    process.exitCode = 1;
    log(`failed: ${error.stack ?? error.message}`);
  })
  .finally(() => stopAll());
