import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwitchyard } from './process-harness.js';

/**
 * The README's offline multi-cloud demo, as a newcomer runs it: examples/offline/run-demo.mjs
 * starts one mock-upstream per cloud (Azure shape ×2, OpenAI, Anthropic, vLLM ×2, embeddings ×2)
 * and the gateway on examples/offline/multi-cloud.yaml. The test runs a copy on free ports (the
 * shipped file uses 4201–4208 and 8080) and checks what the config's comments promise: priority
 * failover across clouds, the sticky canary and its fallback, the retry cap, latency-aware and
 * least-in-flight balancing, each over the cloud's own wire shape.
 */

const EXAMPLE = resolve(import.meta.dirname, '../../examples/offline');
const APP_KEY = readFileSync(join(EXAMPLE, 'demo-secrets/app-key.txt'), 'utf8').trim();
const RESEARCH_KEY = readFileSync(join(EXAMPLE, 'demo-secrets/research-key.txt'), 'utf8').trim();
const SHIPPED_PORTS = { 'azure-east': 4201, 'azure-west': 4202, 'openai-api': 4203, 'anthropic-api': 4204, 'onprem-vllm': 4205, 'onprem-vllm-next': 4206, 'onprem-embed-a': 4207, 'onprem-embed-b': 4208 } as const;
type Cloud = keyof typeof SHIPPED_PORTS;

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

let demo: ChildProcess;
let output = '';
let gatewayUrl: string;
const upstream = {} as Record<Cloud, string>;

beforeAll(async () => {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-demo-'));
  cpSync(EXAMPLE, directory, { recursive: true, filter: (path) => !path.includes(`${EXAMPLE}/data`) });
  let text = readFileSync(join(directory, 'multi-cloud.yaml'), 'utf8');
  for (const [cloud, shipped] of Object.entries(SHIPPED_PORTS) as Array<[Cloud, number]>) {
    const port = await freePort();
    text = text.replaceAll(`127.0.0.1:${shipped}`, `127.0.0.1:${port}`);
    upstream[cloud] = `http://127.0.0.1:${port}`;
  }
  writeFileSync(join(directory, 'multi-cloud.yaml'), text);

  // The runner passes extra arguments to `serve`: --port 0 instead of the shipped 8080.
  demo = spawn(process.execPath, [join(EXAMPLE, 'run-demo.mjs'), join(directory, 'multi-cloud.yaml'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  demo.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start within 120 s:\n${output}`)), 120_000);
    const check = () => {
      const match = /\[gateway\] switchyard listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match && output.includes('[demo] ready')) {
        clearTimeout(timer);
        gatewayUrl = match[1]!;
        resolveReady();
      }
    };
    demo.stderr?.on('data', check);
    demo.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
  });
}, 150_000);

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((done) => demo.once('exit', done));
    demo.kill('SIGINT');
    await exited;
  }
});

/** What one mock cloud received (its request log), as JSON text per request. */
async function received(cloud: Cloud): Promise<string[]> {
  const log = (await (await fetch(`${upstream[cloud]}/__mock/requests`)).json()) as { data: Array<{ path?: string; headers?: Record<string, string>; body: unknown }> };
  return log.data.map((entry) => JSON.stringify(entry));
}

function client(key: string): OpenAI {
  return new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: key, maxRetries: 0, timeout: 60_000 });
}

async function chat(key: string, content: string, options: { model?: string; user?: string } = {}) {
  const { data, response } = await client(key)
    .chat.completions.create({ model: options.model ?? 'chat', messages: [{ role: 'user', content }], ...(options.user ? { user: options.user } : {}) })
    .withResponse();
  return { reply: data.choices[0]?.message.content, tier: response.headers.get('x-switchyard-tier'), deployment: response.headers.get('x-switchyard-deployment') };
}

describe('offline multi-cloud demo (README)', () => {
  it('serves chat from the Azure regions first, each mock seeing its own wire shape and key', async () => {
    const deployments = new Set<string | null>();
    for (let index = 0; index < 8; index += 1) {
      const answer = await chat(APP_KEY, `What is a switchyard? (#${index})`);
      expect(answer.reply).toContain(`What is a switchyard? (#${index})`);
      expect(['azure-east', 'azure-west']).toContain(answer.deployment);
      deployments.add(answer.deployment);
    }
    // Azure shape: deployment name in the path, api-key header; the demo secret reached the mock.
    const east = (await received('azure-east')).concat(await received('azure-west')).join('\n');
    expect(east).toContain('/openai/deployments/gpt-4o-prod/chat/completions');
    expect(east).toContain('"api-key":"[redacted]"');
    expect(deployments.has('azure-east')).toBe(true); // weight 2 of 3: eight draws without it are a 1-in-6561 event
    expect((await received('openai-api')).join('\n')).not.toContain('What is a switchyard? (#0)');
  });

  it('fails over across clouds when the primary mocks fail: Azure → OpenAI API', async () => {
    for (let index = 0; index < 3; index += 1) {
      const content = `Summarise this [[mock:fault=error:503@azure-east]][[mock:fault=error:503@azure-west]] (#${index})`;
      const answer = await chat(APP_KEY, content);
      expect(answer).toMatchObject({ deployment: 'openai-api', tier: 'api' });
      expect(answer.reply).toContain(`(#${index})`);
      // Both Azure regions were really called (and failed) before the public API answered.
      expect((await received('azure-east')).some((entry) => entry.includes(`(#${index})`) && entry.includes('error:503@azure-east'))).toBe(true);
      expect((await received('azure-west')).some((entry) => entry.includes(`(#${index})`) && entry.includes('error:503@azure-east'))).toBe(true);
    }
  });

  it('caps one request at three upstream calls, as the comment says (on-prem is not reached)', async () => {
    const content = 'All clouds down [[mock:fault=error:503@azure-east]][[mock:fault=error:503@azure-west]][[mock:fault=error:503@openai-api]]';
    const error = await client(APP_KEY)
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content }] })
      .then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBeGreaterThanOrEqual(500);
    expect((await received('onprem-vllm')).join('\n')).not.toContain('All clouds down');
  });

  it('sends the research department to the canary, which falls back to stable when it fails', async () => {
    const answer = await chat(RESEARCH_KEY, 'Draft a release note');
    expect(answer).toMatchObject({ deployment: 'onprem-vllm-next', tier: 'on-prem' });
    const fallback = await chat(RESEARCH_KEY, 'Draft it again [[mock:fault=error:503@onprem-vllm-next]]');
    expect(['azure-east', 'azure-west']).toContain(fallback.deployment);
  });

  it('puts about 10 % of other users on the canary, each user sticky to one variant', async () => {
    const onCanary: string[] = [];
    for (let index = 0; index < 40; index += 1) {
      const answer = await chat(APP_KEY, `Hello (#${index})`, { user: `user-${index}` });
      if (answer.deployment === 'onprem-vllm-next') onCanary.push(`user-${index}`);
    }
    expect(onCanary.length).toBeGreaterThan(0);
    expect(onCanary.length).toBeLessThan(12);
    for (const user of onCanary) expect((await chat(APP_KEY, 'Hello again', { user })).deployment).toBe('onprem-vllm-next');
  });

  it('chat-fast measures each cloud (Anthropic over its own wire) and sends the next calls to the fastest', async () => {
    // Make azure-east slow once through `chat` (Azure takes 2 of 3 there): its latency average jumps.
    let slowed = false;
    for (let index = 0; index < 12 && !slowed; index += 1) {
      slowed = (await chat(APP_KEY, `Slow day [[mock:fault=slow_ttft:3000@azure-east]] (#${index})`)).deployment === 'azure-east';
    }
    expect(slowed).toBe(true);
    // Then Anthropic, through chat-fast itself: an unmeasured or fast cloud is tried first.
    slowed = false;
    for (let index = 0; index < 6 && !slowed; index += 1) {
      slowed = (await chat(APP_KEY, `Slow too [[mock:fault=slow_ttft:3000@anthropic-api]] (#${index})`, { model: 'chat-fast' })).deployment === 'anthropic-api';
    }
    expect(slowed).toBe(true);
    // Now the OpenAI API is the fastest measured cloud: it takes every call (a random spread
    // would give it all six with probability 1/729).
    for (let index = 0; index < 6; index += 1) {
      expect((await chat(APP_KEY, `Quick question (#${index})`, { model: 'chat-fast' })).deployment).toBe('openai-api');
    }
    // The Anthropic mock received the Messages shape for the model the alias names.
    const anthropic = (await received('anthropic-api')).join('\n');
    expect(anthropic).toContain('/v1/messages');
    expect(anthropic).toContain('claude-3-5-haiku-latest');
  }, 150_000);

  it('spreads embeddings over both on-prem servers (least-in-flight)', async () => {
    const embeddings = client(APP_KEY).embeddings;
    const results = await Promise.all(Array.from({ length: 12 }, (_, index) => embeddings.create({ model: 'embed', input: `text ${index}` })));
    for (const result of results) expect(result.data[0]?.embedding.length).toBeGreaterThan(0);
    expect((await received('onprem-embed-a')).length).toBeGreaterThan(0);
    expect((await received('onprem-embed-b')).length).toBeGreaterThan(0);
  });

  it('config check passes on the twin; policy explain and config check --offline need no secret on the real example', async () => {
    const twin = await runSwitchyard(['config', 'check', '--config', 'examples/offline/multi-cloud.yaml']);
    expect(twin.code, twin.stderr).toBe(0);
    const noSecrets = { SWITCHYARD_KEY_APP: '', SWITCHYARD_KEY_RESEARCH: '', AZURE_OPENAI_KEY_EAST: '', AZURE_OPENAI_KEY_WEST: '', OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', VLLM_API_KEY: '', REDIS_URL: '' };
    const explained = await runSwitchyard(['policy', 'explain', '--config', 'examples/multi-cloud.yaml', '--json', 'hello'], noSecrets);
    expect(explained.code, explained.stderr).toBe(0);
    expect(JSON.parse(explained.stdout)).toMatchObject({ dataClass: 'public' });
    const checked = await runSwitchyard(['config', 'check', '--offline', '--config', 'examples/multi-cloud.yaml'], noSecrets);
    expect(checked.code, checked.stderr).toBe(0);
  });
});
