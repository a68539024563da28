import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../../test/support/cli-entry.js';

const ENTRY = CLI_ENTRY;
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  exit: Promise<number | null>;
}

/** Spawns `mock-upstream <args>` from the sources and waits for its listening line. */
function start(args: string[], environment: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'mock-upstream', '--port', '0', ...args], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /mock-upstream listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise({ child, url: match[1], exit });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exited with ${code}:\n${output}`), { code, output }));
    });
  });
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const chat = (url: string, content: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }),
  });

describe('switchyard mock-upstream', () => {
  it('prints its URL, applies flags, requires the key from --api-key-env, and stops cleanly on SIGTERM', async () => {
    const { child, url, exit } = await start(['--reply', 'lorem', '--lorem-tokens', '3', '--api-key-env', 'MOCK_CLI_KEY', '--error-status', '503'], { MOCK_CLI_KEY: 'k-123' });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await chat(url, 'hi', { authorization: 'Bearer k-123' });
    const body = (await ok.json()) as { choices: Array<{ message: { content: string } }>; usage: { completion_tokens: number } };
    expect(body.usage.completion_tokens).toBe(3);
    expect((await chat(url, 'hi', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await chat(url, 'hi [[mock:fault=error]]', { authorization: 'Bearer k-123' })).status).toBe(503);
    // A hanging request must not keep the process alive after SIGTERM.
    const hanging = chat(url, 'x', { authorization: 'Bearer k-123', 'x-mock-fault': 'hang' }).catch(() => 'aborted');
    await new Promise((done) => setTimeout(done, 50));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(await hanging).toBe('aborted');
  });

  it('applies fault rates from flags', async () => {
    const { child, url, exit } = await start(['--rate-limit-rate', '1', '--retry-after-seconds', '4']);
    const response = await chat(url, 'x');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('4');
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('refuses to start when the --api-key-env variable is missing', async () => {
    const failure = await start(['--api-key-env', 'MOCK_CLI_MISSING_KEY']).then(
      () => undefined,
      (error: { code?: number; output?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.output).toContain('MOCK_CLI_MISSING_KEY');
  });
});
