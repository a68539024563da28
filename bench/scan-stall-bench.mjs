// Event-loop stall benchmark: /healthz latency while eight 4 MB prompts are scanned.
//
//   npm run build && node bench/scan-stall-bench.mjs [--gateway] [--prompts 8] [--mb 4] [--inline]
//
// Default (scan stage): this process serves GET /healthz on loopback and, on the same event loop,
// classifies N concurrent requests of M MB of mixed zh/en text with PII through the policy
// scanner exactly as the gateway does (classifyRequest + createPolicyScanner from dist/, default
// policy, every detector on); the probe client runs in this process too, over
// real HTTP over loopback, every 10 ms until all N are classified. Reports p50/p99/max.
// `--gateway` instead starts the BUILT gateway with the mock provider and posts the prompts as
// chat requests (whole pipeline: body parsing, metering, audit, the mock's token counting).
// `--inline` sets scan.offload_above_bytes huge (scanning on the event loop, the behaviour
// before the worker pool), for comparison. Target: p99 < 50 ms.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startProcess } from './lib/processes.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({ options: { prompts: { type: 'string', default: '8' }, mb: { type: 'string', default: '4' }, inline: { type: 'boolean', default: false }, profile: { type: 'string' }, gateway: { type: 'boolean', default: false } } });
const prompts = Number(options.prompts);
const megabytes = Number(options.mb);
const KEY = 'sy-stall-bench-key-not-secret';

const PROSE = ['本週的專案會議確認了第三季的交付時程，請各組在週五前更新進度。', 'The deployment pipeline now runs integration tests in parallel, which cut build time in half.', '客服團隊反映，新版介面的搜尋功能比舊版更直覺，但匯出報表仍然太慢。', 'Please review the attached design document and leave comments before the architecture review.'];
const PII = ['客戶王小明（身分證A123456789）來電，手機0912-345-678。', 'Contact Emily Carter at emily.carter@example.com or +1 (415) 555-0199.', '請匯款新台幣120萬元至帳號 004-12345678901，統一編號 04595257。'];
function promptText(bytes) {
  const parts = [];
  let size = 0;
  for (let index = 0; size < bytes; index += 1) {
    const sentence = index % 6 === 5 ? PII[index % PII.length] : PROSE[index % PROSE.length];
    parts.push(sentence);
    size += Buffer.byteLength(sentence) + 1;
  }
  return parts.join('\n');
}

function summary(mode, probes, elapsed, statuses, promptBytes) {
  probes.sort((left, right) => left - right);
  const at = (fraction) => probes[Math.min(probes.length - 1, Math.floor(probes.length * fraction))];
  return {
    mode,
    prompts,
    promptMB: Number((promptBytes / 1e6).toFixed(2)),
    seconds: Number((elapsed / 1000).toFixed(2)),
    outcomes: [...new Set(statuses)],
    healthzProbes: probes.length,
    healthzP50Ms: Number(at(0.5).toFixed(1)),
    healthzP99Ms: Number(at(0.99).toFixed(1)),
    healthzMaxMs: Number(probes[probes.length - 1].toFixed(1)),
  };
}

async function probeUntil(url, done) {
  const probes = [];
  while (!done()) {
    const started = performance.now();
    await fetch(url).then((response) => response.arrayBuffer());
    probes.push(performance.now() - started);
    await new Promise((resolveTimer) => setTimeout(resolveTimer, 10));
  }
  return probes;
}

if (!options.gateway) {
  const { createServer } = await import('node:http');
  const { policySchema } = await import('../dist/policy/policy-config-schema.js');
  const { createPolicyScanner } = await import('../dist/policy/policy-scanner.js');
  const { classifyRequest } = await import('../dist/policy/classify.js');
  const { closeScanPool } = await import('../dist/policy/scan-pool.js');
  const server = createServer((request, response) => response.end('{"status":"ok"}'));
  await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const url = `http://127.0.0.1:${server.address().port}/healthz`;
  const policy = policySchema.parse({ scan: { timeout_ms: 60_000, offload_above_bytes: options.inline ? 1_000_000_000 : 262_144 } });
  const scanner = createPolicyScanner(policy);
  const text = promptText(megabytes * 1_000_000);
  // Warm the pool and the JIT on a small offloaded text first.
  await classifyRequest(policySchema.parse({ scan: { timeout_ms: 60_000, offload_above_bytes: 1 } }), createPolicyScanner(policySchema.parse({ scan: { offload_above_bytes: 1 } })), { request: { model: 'chat', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: text.slice(0, 100_000) }] }] } });
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  let finished = false;
  loopDelay.enable();
  const probing = probeUntil(url, () => finished);
  await new Promise((resolveTimer) => setTimeout(resolveTimer, 50));
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: prompts }, async () => {
      const result = await classifyRequest(policy, scanner, { request: { model: 'chat', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text }] }] } });
      return `${result.dataClass}${result.scanFailed ? ' (scan failed)' : ''}`;
    }),
  );
  const elapsed = performance.now() - started;
  finished = true;
  const probes = await probing;
  loopDelay.disable();
  server.close();
  await closeScanPool();
  const report = summary(options.inline ? 'scan stage, inline (event loop)' : 'scan stage, worker pool', probes, elapsed, outcomes, Buffer.byteLength(text));
  // Event-loop delay (perf_hooks, 5 ms resolution): how late timers ran while the prompts were scanned.
  report.eventLoopDelayP99Ms = Number((loopDelay.percentile(99) / 1e6).toFixed(1));
  report.eventLoopDelayMaxMs = Number((loopDelay.max / 1e6).toFixed(1));
  console.log(JSON.stringify(report));
  process.exit(0);
}

const workDir = mkdtempSync(join(tmpdir(), 'switchyard-stall-'));
const port = await freePort();
const config = `version: 1
server: { host: 127.0.0.1, port: ${port}, body_limit_bytes: ${Math.ceil((megabytes + 1) * 1024 * 1024)} }
logging: { level: warn }
auth:
  keys:
    - { id: bench, key: "\${env:STALL_KEY}", department: engineering }
deployments:
  - id: onprem-mock
    tier: on-prem
    provider: mock
    mock: { reply: lorem }
models:
  - alias: chat
    targets: [{ deployment: onprem-mock, model: mock-1 }]
policy:
  scan:
    timeout_ms: 60000
    offload_above_bytes: ${options.inline ? 1_000_000_000 : 262_144}
`;
writeFileSync(join(workDir, 'gateway.yaml'), config);
const gateway = await startProcess({
  name: 'gateway',
  command: process.execPath,
  args: [...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${options.profile}`] : []), join(ROOT, 'dist/cli/index.js'), 'serve', '--config', join(workDir, 'gateway.yaml')],
  env: { STALL_KEY: KEY },
  cwd: workDir,
  readyUrl: `http://127.0.0.1:${port}/healthz`,
  logDir: workDir,
});

const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: promptText(megabytes * 1_000_000) }] });
let running = true;
const probing = probeUntil(`http://127.0.0.1:${port}/healthz`, () => !running);
const started = performance.now();
const statuses = await Promise.all(
  Array.from({ length: prompts }, () =>
    fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body }).then(async (response) => {
      const answer = await response.json();
      return `${response.status}${answer?.error ? ` ${answer.error.code ?? answer.error.type}` : ''}`;
    }),
  ),
);
const elapsed = performance.now() - started;
running = false;
const probes = await probing;
await gateway.stop();
console.log(JSON.stringify(summary(options.inline ? 'gateway, inline (event loop)' : 'gateway, worker pool', probes, elapsed, statuses, Buffer.byteLength(body))));
