import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Built CLI entry: end-to-end tests run what users run, not the TypeScript sources. */
export const CLI = resolve(import.meta.dirname, '../../dist/cli/index.js');

export interface RunningProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `switchyard <args>` and resolves with the first http URL it prints. */
export function startSwitchyard(args: string[], environment: NodeJS.ProcessEnv = {}, timeoutMs = 60_000, cwd?: string): Promise<RunningProcess> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...environment },
    ...(cwd !== undefined ? { cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`switchyard ${args.join(' ')} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /https?:\/\/[\w.[\]:-]+:\d+/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        const keep = (more: Buffer) => (output += more.toString('utf8'));
        child.stdout?.on('data', keep);
        child.stderr?.on('data', keep);
        resolvePromise({
          url: match[0],
          child,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              // A process killed by a signal has signalCode set and exitCode null.
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`switchyard ${args.join(' ')} exited with ${code} before listening:\n${output}`));
    });
  });
}

/** Runs `switchyard <args>` to completion (in `cwd` when given). */
export function runSwitchyard(args: string[], environment: NodeJS.ProcessEnv = {}, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd !== undefined ? { cwd } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((done) => child.once('close', (code) => done({ code: code ?? -1, stdout, stderr })));
}

/**
 * Writes a config file into a fresh temp directory and returns its path. `__DIR__` in the text
 * becomes that directory; without a `storage:` section the database goes there too, so
 * concurrent test gateways never share an audit chain.
 */
export function writeTempConfig(text: string, files: Record<string, string> = {}): string {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
  const path = join(directory, 'switchyard.yaml');
  // Appended, so line numbers in config-check tests stay those of the text given.
  const withStorage = /^storage:/m.test(text) ? text : `${text.replace(/\n*$/, '\n')}storage: { url: "sqlite:__DIR__/switchyard.db" }\n`;
  writeFileSync(path, withStorage.replaceAll('__DIR__', directory));
  return path;
}
