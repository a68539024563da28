import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwitchyard } from './process-harness.js';

/**
 * The README's offline hybrid demo, as a newcomer runs it: examples/offline/run-demo.mjs starts
 * one mock-upstream per tier and the gateway on examples/offline/hybrid.yaml. The test runs a copy
 * on free ports (the shipped file uses 4101–4103 and 8080) and checks what the comments promise:
 * restricted data stays on-prem, confidential data reaches the private cloud masked, public data
 * may go anywhere, and a failing public API fails over to another allowed tier.
 */

const EXAMPLE = resolve(import.meta.dirname, '../../examples/offline');
const FINANCE_KEY = readFileSync(join(EXAMPLE, 'demo-secrets/finance-key.txt'), 'utf8').trim();
const RD_KEY = readFileSync(join(EXAMPLE, 'demo-secrets/rd-key.txt'), 'utf8').trim();

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
const upstream: Record<'onprem' | 'private' | 'api', string> = { onprem: '', private: '', api: '' };

beforeAll(async () => {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-demo-'));
  cpSync(EXAMPLE, directory, { recursive: true, filter: (path) => !path.includes(`${EXAMPLE}/data`) });
  const ports = { 4101: await freePort(), 4102: await freePort(), 4103: await freePort() };
  let text = readFileSync(join(directory, 'hybrid.yaml'), 'utf8');
  for (const [shipped, port] of Object.entries(ports)) text = text.replaceAll(`127.0.0.1:${shipped}`, `127.0.0.1:${port}`);
  writeFileSync(join(directory, 'hybrid.yaml'), text);
  upstream.onprem = `http://127.0.0.1:${ports[4101]}`;
  upstream.private = `http://127.0.0.1:${ports[4102]}`;
  upstream.api = `http://127.0.0.1:${ports[4103]}`;

  // The runner passes extra arguments to `serve`: --port 0 instead of the shipped 8080.
  demo = spawn(process.execPath, [join(EXAMPLE, 'run-demo.mjs'), join(directory, 'hybrid.yaml'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  demo.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start within 90 s:\n${output}`)), 90_000);
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
});

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((done) => demo.once('exit', done));
    demo.kill('SIGINT');
    await exited;
  }
});

/** What one mock tier received (its request log), newest last. */
async function received(tier: keyof typeof upstream): Promise<string[]> {
  const log = (await (await fetch(`${upstream[tier]}/__mock/requests`)).json()) as { data: Array<{ body: { messages?: Array<{ content: unknown }> } }> };
  return log.data.map((entry) => JSON.stringify(entry.body.messages ?? []));
}

async function chat(key: string, content: string) {
  const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: key, maxRetries: 0, timeout: 60_000 });
  const { data, response } = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content }] }).withResponse();
  return { reply: data.choices[0]?.message.content, tier: response.headers.get('x-switchyard-tier'), deployment: response.headers.get('x-switchyard-deployment'), dataClass: response.headers.get('x-switchyard-data-class') };
}

describe('offline hybrid demo (README)', () => {
  it('keeps restricted data on-prem', async () => {
    const answer = await chat(RD_KEY, '請把王小明的身分證 A123456789 填進表單');
    expect(answer).toMatchObject({ tier: 'on-prem', deployment: 'onprem-llm', dataClass: 'restricted' });
    expect(answer.reply).toContain('A123456789');
    expect((await received('private')).concat(await received('api')).join('\n')).not.toContain('A123456789');
  });

  it('sends confidential data to the private cloud or on-prem, with names and phones masked on the way out', async () => {
    const tiers = new Set<string | null>();
    for (let index = 0; index < 16; index += 1) {
      const answer = await chat(RD_KEY, `請聯絡林雅雯，電話 0912-345-678 (#${index})`);
      expect(answer.dataClass).toBe('confidential');
      expect(['private-cloud', 'on-prem']).toContain(answer.tier);
      // The echo comes back with the placeholders restored for the client.
      expect(answer.reply).toContain('林雅雯');
      tiers.add(answer.tier);
    }
    const privateCloud = (await received('private')).join('\n');
    expect(privateCloud).toContain('[PERSON_1]');
    expect(privateCloud).not.toContain('林雅雯');
    expect(privateCloud).not.toContain('0912-345-678');
    expect((await received('api')).join('\n')).not.toContain('林雅雯');
  });

  it('spreads public data over every tier and fails over when the public API breaks', async () => {
    const tiers = new Set<string | null>();
    for (let index = 0; index < 30; index += 1) tiers.add((await chat(RD_KEY, `What is a switchyard? (#${index})`)).tier);
    expect(tiers.has('api')).toBe(true);
    // Every public-API request in a row fails; each is answered by another allowed tier.
    const before = (await received('api')).length;
    for (let index = 0; index < 20; index += 1) {
      const answer = await chat(RD_KEY, `Summarise this [[mock:fault=error:503@openai-api]] (#${index})`);
      expect(answer.tier).not.toBe('api');
      expect(answer.dataClass).toBe('public');
    }
    // The public API was tried (and failed) for some of them: that is failover, not luck.
    const tried = (await received('api')).slice(before).filter((messages) => messages.includes('mock:fault=error:503@openai-api'));
    expect(tried.length).toBeGreaterThan(0);
  });

  it('treats every finance prompt as confidential (department rule), so it never reaches the public API', async () => {
    for (let index = 0; index < 4; index += 1) {
      const answer = await chat(FINANCE_KEY, `What is a switchyard? (#${index})`);
      expect(answer.dataClass).toBe('confidential');
      expect(answer.tier).not.toBe('api');
    }
  });

  it('policy explain and config check --offline work on the shipped example without any secret in the environment', async () => {
    const explained = await runSwitchyard(['policy', 'explain', '--config', 'examples/hybrid.yaml', '--json', '請把王小明的身分證 A123456789 填進表單'], {
      SWITCHYARD_KEY_FINANCE: '',
      SWITCHYARD_KEY_RD: '',
      AZURE_OPENAI_KEY: '',
      OPENAI_API_KEY: '',
      SWITCHYARD_HASH_KEY: '',
    });
    expect(explained.code, explained.stderr).toBe(0);
    expect(JSON.parse(explained.stdout)).toMatchObject({ dataClass: 'restricted', allowedTiers: ['on-prem'] });
    const checked = await runSwitchyard(['config', 'check', '--offline', '--config', 'examples/hybrid.yaml'], { SWITCHYARD_KEY_FINANCE: '', OPENAI_API_KEY: '' });
    expect(checked.stdout + checked.stderr).toContain('examples/hybrid.yaml: ok');
    expect(checked.code).toBe(0);
    const offlineTwin = await runSwitchyard(['config', 'check', '--config', 'examples/offline/hybrid.yaml']);
    expect(offlineTwin.code, offlineTwin.stderr).toBe(0);
  });
});
