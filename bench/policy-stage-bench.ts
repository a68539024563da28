/**
 * Policy-stage benchmark: what classifying and masking one 8 KB chat request costs, end to end
 * through the policy stage (not the bare scanner). It works on both the old request-view stage
 * (`applyPolicy`) and the outbound stage (`describeOutbound` → `applyOutboundPolicy` → `seal`), so
 * before/after can be measured in one sitting:
 *   node --import tsx bench/policy-stage-bench.ts [--json] [--rounds N] [--tools] [--compare-with DIR]
 * `--compare-with DIR` loads a second checkout (e.g. `git archive main` extracted to DIR) into the
 * same process and interleaves batches of both, so a busy machine slows both alike; the figure
 * that matters is CPU time per request (process.cpuUsage), which another process's load barely
 * moves, with wall-clock percentiles alongside.
 * Both shapes run the same request: a system prompt, an 8 KB user prompt (mixed zh/en prose with
 * personal data at a realistic density), one tool with a schema, under a rule that masks PERSON,
 * PHONE and EMAIL.
 */
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChatRequest } from '../src/model/chat-request.js';

const PROSE = [
  '本週的專案會議確認了第三季的交付時程，請各組在週五前更新進度。',
  'The deployment pipeline now runs integration tests in parallel, which cut build time in half.',
  '客服團隊反映，新版介面的搜尋功能比舊版更直覺，但匯出報表仍然太慢。',
  'Please review the attached design document and leave comments before the architecture review.',
  '行銷部計畫在下個月推出會員回饋活動，預計吸引更多年輕族群加入。',
  'We should cache the model responses for identical prompts to reduce latency and cost.',
];
const PII = [
  '客戶王小明來電，手機0912-345-678。',
  'Contact Emily Carter at emily.carter@example.com or +1 (415) 555-0199.',
  '寄送地址：106臺北市大安區復興南路一段390號2樓。',
];

function prompt8KB(): string {
  const parts: string[] = [];
  for (let index = 0; Buffer.byteLength(parts.join('\n'), 'utf8') < 8_192; index += 1) parts.push((index % 6 === 5 ? PII[index % PII.length] : PROSE[index % PROSE.length]) ?? '');
  let text = parts.join('\n');
  while (Buffer.byteLength(text, 'utf8') > 8_192) text = text.slice(0, -1);
  return text;
}

const request: ChatRequest = {
  model: 'gpt-4o-mini',
  stream: false,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant for the claims team. Answer in Traditional Chinese.' }] },
    { role: 'user', content: [{ type: 'text', text: prompt8KB() }] },
  ],
  ...(process.argv.includes('--tools') ? { tools: [{ name: 'lookup_policy', description: 'Look up an insurance policy by its number.', parameters: { type: 'object', properties: { number: { type: 'string', description: 'The policy number' } }, required: ['number'] } }] } : {}),
  maxTokens: 512,
  user: 'claims-analyst-7',
};


type Stage = { name: string; run: () => Promise<unknown> };

const POLICY = {
  rules: [
    { name: 'restricted-on-prem', match: { data_class_at_least: 'restricted' }, allow_tiers: ['on-prem'] },
    { name: 'mask-pii', allow_tiers: ['api', 'on-prem'], mask: ['PERSON', 'PHONE', 'EMAIL'] },
  ],
};

/** The policy stage of the checkout at `root`, whichever shape it has. */
async function stageFor(root: string): Promise<Stage> {
  const load = (path: string) => import(pathToFileURL(resolve(root, path)).href);
  const { policySchema } = await load('src/policy/policy-config-schema.ts');
  const { createPolicyRuntime } = await load('src/policy/apply-policy.ts');
  const runtime = createPolicyRuntime(policySchema.parse(POLICY));
  const outboundModule = await load('src/policy/apply-outbound-policy.ts').catch(() => undefined);
  if (outboundModule) {
    const { createOpenAICompatibleAdapter } = await load('src/providers/openai-compatible/index.ts');
    const { deploymentSchema } = await load('src/assembly/config-schema.ts');
    const deployment = deploymentSchema.parse({ id: 'bench', tier: 'api', provider: 'openai-compatible', base_url: 'http://127.0.0.1:9/v1' });
    const transport = { request: () => Promise.reject(new Error('no sends in a benchmark')), close: () => Promise.resolve() };
    const adapter = createOpenAICompatibleAdapter({ deployment, apiKey: undefined, transport });
    return {
      name: 'outbound (describeOutbound → applyOutboundPolicy → seal)',
      run: async () => {
        const draft = adapter.describeOutbound({ operation: 'chat', request });
        const applied = await outboundModule.applyOutboundPolicy(runtime, [draft]);
        return applied.seal(0);
      },
    };
  }
  const { applyPolicy } = await load('src/policy/apply-policy.ts');
  const { extractSegments } = await load('src/policy/request-text.ts');
  const { encodeOpenAIChatRequest } = await load('src/wire/openai/encode-openai-request.ts');
  const joined = (value: ChatRequest) => extractSegments(value).map((segment: { text: string }) => segment.text).join('\n');
  // The old stage: applyPolicy, the pipeline's capture of original and masked text, then the
  // adapter encoding and serialising the masked canonical request. The new stage's seal does all three.
  return {
    name: 'request view (applyPolicy → capture → encode → JSON.stringify)',
    run: async () => {
      const applied = await applyPolicy(runtime, request);
      const capture = { request: joined(request), maskedRequest: joined(applied.request) };
      return [capture, JSON.stringify(encodeOpenAIChatRequest(applied.request, { model: 'gpt-4o-mini', maxTokensField: 'max_tokens' }))];
    },
  };
}

const argument = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const rounds = Number(argument('--rounds')) || 10;
const BATCH = 200;
const roots = [resolve(import.meta.dirname, '..'), ...(argument('--compare-with') ? [resolve(argument('--compare-with') as string)] : [])];
const stages = await Promise.all(roots.map(stageFor));
const measured = stages.map(() => ({ cpuPerRequestUs: [] as number[], wallMs: [] as number[], batchMeanUs: [] as number[] }));
for (const stage of stages) for (let warm = 0; warm < 300; warm += 1) await stage.run();
for (let round = 0; round < rounds; round += 1) {
  for (const [index, stage] of stages.entries()) {
    const into = measured[index] as (typeof measured)[number];
    const cpu = process.cpuUsage();
    const batchStarted = performance.now();
    for (let iteration = 0; iteration < BATCH; iteration += 1) {
      const started = performance.now();
      await stage.run();
      into.wallMs.push(performance.now() - started);
    }
    into.batchMeanUs.push(((performance.now() - batchStarted) * 1000) / BATCH);
    const used = process.cpuUsage(cpu);
    into.cpuPerRequestUs.push((used.user + used.system) / BATCH);
  }
}
const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)] ?? Number.NaN;
const quantile = (values: number[], fraction: number) => [...values].sort((left, right) => left - right)[Math.min(values.length - 1, Math.floor(values.length * fraction))] ?? Number.NaN;
const results = stages.map((stage, index) => {
  const data = measured[index] as (typeof measured)[number];
  return {
    stage: stage.name,
    root: roots[index],
    tools: process.argv.includes('--tools'),
    requests: data.wallMs.length,
    cpuUsPerRequest: Number(median(data.cpuPerRequestUs).toFixed(1)),
    // The least-disturbed batch: on a shared machine, the closest thing to the stage's own cost.
    bestBatchUsPerRequest: Number(Math.min(...data.batchMeanUs).toFixed(1)),
    p50Ms: Number(quantile(data.wallMs, 0.5).toFixed(3)),
    p90Ms: Number(quantile(data.wallMs, 0.9).toFixed(3)),
  };
});
if (process.argv.includes('--json')) console.log(JSON.stringify({ node: process.version, results }));
else {
  for (const result of results) {
    console.log(`policy stage, 8 KB prompt${result.tools ? ' + tool schema' : ''} — ${result.stage}: best batch ${result.bestBatchUsPerRequest} µs/request, CPU ${result.cpuUsPerRequest} µs/request (median of ${rounds} batches), wall p50 ${result.p50Ms} ms, p90 ${result.p90Ms} ms`);
  }
  if (results.length === 2) {
    const [after, before] = results as [(typeof results)[number], (typeof results)[number]];
    const change = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
    console.log(`change: best batch ${change(after.bestBatchUsPerRequest, before.bestBatchUsPerRequest)}, wall p50 ${change(after.p50Ms, before.p50Ms)}, CPU ${change(after.cpuUsPerRequest, before.cpuUsPerRequest)}`);
  }
}
