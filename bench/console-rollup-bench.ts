/**
 * What the console's rollup subscriber adds to the request path, measured two ways:
 *  1. A/B of the whole proxy in process: the quick-start shape (mock on-prem deployment, default
 *     policy, audit on, SQLite) served through fastify inject, with the subscriber on and off in
 *     interleaved batches, so a busy machine slows both alike. The figure is CPU time per request
 *     (process.cpuUsage, user + system), which other processes' load barely moves.
 *  2. The subscriber alone: CPU time per `observe()` call on a realistic request summary.
 *   node --import tsx bench/console-rollup-bench.ts [--rounds N] [--batch N] [--json]
 * Storage writes happen on the flush timer, off the request path; the A/B includes them (the
 * timer runs during the batches), so the difference is the console's whole cost.
 */
import { parseArgs } from 'node:util';
import { parseConfigText } from '../src/assembly/load-config.js';
import { createRollupStore } from '../src/console/rollup-store.js';
import { countsOfRequest, createRollupSubscriber } from '../src/console/rollup-subscriber.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/observability/logger.js';
import { createGatewayRuntime } from '../src/assembly/create-gateway-runtime.js';
import type { RequestSummary } from '../src/model/request-summary.js';
import { createSharedServices } from '../src/assembly/create-shared-services.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' }, batch: { type: 'string', default: '400' }, json: { type: 'boolean', default: false } } });
const rounds = Number(values.rounds);
const batch = Number(values.batch);

const CONFIG = `
storage: { url: "sqlite::memory:" }
auth: { keys: [{ id: demo, key: "\${env:BENCH_KEY}", department: engineering }] }
deployments: [{ id: onprem-mock, tier: on-prem, provider: mock, mock: { reply: echo } }]
models: [{ alias: chat-default, targets: [{ deployment: onprem-mock, model: mock-echo-1 }] }]
`;
const BODY = { model: 'chat-default', messages: [{ role: 'user', content: '請摘要本週會議重點，並聯絡 wang@example.com。' }] };

/** One gateway; the subscriber is switched on and off between batches, so both arms share every other state. */
const loaded = parseConfigText(CONFIG, 'bench.yaml', { BENCH_KEY: 'bench-key-0123456789' });
const services = await createSharedServices(loaded);
const rollup = createRollupSubscriber({ store: createRollupStore(services.storage.executor), bucketSeconds: 300, retentionDays: 35, flushSeconds: 1 });
let enabled = false;
const { app } = buildApp({
  runtime: createGatewayRuntime(loaded, services),
  logger: createLogger('silent'),
  observers: [(summary, status, route) => (enabled ? rollup.observe(summary, status, route) : undefined)],
});
await app.ready();

async function run(withRollup: boolean, count: number): Promise<number> {
  enabled = withRollup;
  const before = process.cpuUsage();
  for (let index = 0; index < count; index += 1) {
    const response = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: 'Bearer bench-key-0123456789' }, payload: BODY });
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${response.body}`);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;

await run(false, 300); // warm-up: JIT, pools, the audit writer
await run(true, 300);
const offRuns: number[] = [];
const onRuns: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  // Alternate which goes first, so neither always follows the other's garbage collection.
  if (round % 2 === 0) {
    offRuns.push(await run(false, batch));
    onRuns.push(await run(true, batch));
  } else {
    onRuns.push(await run(true, batch));
    offRuns.push(await run(false, batch));
  }
}
await rollup.close();
await app.close();
await services.close();

// The subscriber alone: observe() on a request summary like the ones above.
const summary: RequestSummary = {
  requestId: 'req',
  inbound: 'openai-chat',
  route: '/v1/chat/completions',
  status: 200,
  durationMs: 1,
  principalId: 'demo',
  department: 'engineering',
  policy: { action: 'allow', rule: 'default', dataClass: 'internal', entities: { EMAIL: 1 }, maskedTypes: [] },
  failedAttempts: [],
  streamed: false,
  usage: { inputTokens: 30, outputTokens: 30 },
  costUsd: 0,
};
countsOfRequest(summary, 200); // shape check
const subscriber = createRollupSubscriber({ store: { add: async () => undefined, series: async () => [], byDepartment: async () => [], prune: async () => 0 }, bucketSeconds: 300, retentionDays: 1, flushSeconds: 0 });
const calls = 2_000_000;
for (let index = 0; index < 100_000; index += 1) subscriber.observe(summary, 200, '/v1/chat/completions');
const before = process.cpuUsage();
for (let index = 0; index < calls; index += 1) subscriber.observe(summary, 200, '/v1/chat/completions');
const used = process.cpuUsage(before);
const observeNs = ((used.user + used.system) * 1000) / calls;

const result = {
  rounds,
  batch,
  cpu_us_per_request_off: Number(median(offRuns).toFixed(1)),
  cpu_us_per_request_on: Number(median(onRuns).toFixed(1)),
  added_us_median_of_pairs: Number(median(onRuns.map((value, index) => value - (offRuns[index] as number))).toFixed(1)),
  observe_ns_per_call: Number(observeNs.toFixed(0)),
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`CPU per request, subscriber off: ${result.cpu_us_per_request_off} µs (median of ${rounds} batches of ${batch})`);
  console.log(`CPU per request, subscriber on:  ${result.cpu_us_per_request_on} µs`);
  console.log(`difference (median of paired batches): ${result.added_us_median_of_pairs} µs`);
  console.log(`observe() alone: ${result.observe_ns_per_call} ns per call`);
}
