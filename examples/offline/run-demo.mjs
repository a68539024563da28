#!/usr/bin/env node
/**
 * Runs an offline example: one `switchyard mock-upstream` per local upstream address in the config
 * (named after its deployment, checking the API key the config sends, as the real service would),
 * then `switchyard serve` on the config. Ctrl-C (or SIGTERM) stops everything; if any process
 * dies, the rest are stopped too.
 *
 *   node examples/offline/run-demo.mjs examples/offline/hybrid.yaml     (npm run demo:hybrid)
 *   node examples/offline/run-demo.mjs examples/offline/multi-cloud.yaml (npm run demo:multi-cloud)
 *
 * Extra arguments go to `serve` (e.g. --port 0).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

const configPath = resolve(process.argv[2] ?? resolve(import.meta.dirname, 'hybrid.yaml'));
const cli = resolve(import.meta.dirname, '../../dist/cli/index.js');
const config = parse(readFileSync(configPath, 'utf8'));
const children = [];
let stopping = false;

/** `${file:x}` relative to the config, as the gateway reads it; `${env:X}` from the environment. */
function secret(reference) {
  const match = /^\$\{(env|file):([^}]+)\}$/.exec(reference ?? '');
  if (!match) return undefined;
  return match[1] === 'env' ? process.env[match[2]] : readFileSync(resolve(dirname(configPath), match[2]), 'utf8').replace(/\r?\n$/, '');
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
  Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((done) => child.once('exit', done))))).then(() => process.exit(code));
}

function start(label, args, environment = {}) {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...environment }, stdio: ['ignore', 'inherit', 'pipe'] });
    children.push(child);
    let seen = '';
    child.stderr.on('data', (chunk) => {
      const text = chunk.toString('utf8');
      process.stderr.write(text.split('\n').map((line) => (line ? `[${label}] ${line}` : line)).join('\n'));
      seen += text;
      if (/listening on https?:\/\//.test(seen)) resolveStart(child);
    });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      reject(new Error(`${label} exited (${signal ?? code}) before it was ready`));
      process.stderr.write(`[demo] ${label} stopped (${signal ?? code}); stopping the demo\n`);
      stopAll(1);
    });
  });
}

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

try {
  const byPort = new Map();
  for (const deployment of config.deployments ?? []) {
    if (typeof deployment.base_url !== 'string') continue;
    const url = new URL(deployment.base_url);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') continue;
    const entry = byPort.get(url.port) ?? { port: url.port, names: [], key: undefined };
    entry.names.push(deployment.id);
    entry.key ??= secret(deployment.api_key);
    byPort.set(url.port, entry);
  }
  await Promise.all(
    [...byPort.values()].map((upstream) => {
      const environment = upstream.key === undefined ? {} : { DEMO_UPSTREAM_KEY: upstream.key };
      const args = ['mock-upstream', '--port', upstream.port, '--name', upstream.names[0], ...(upstream.key === undefined ? [] : ['--api-key-env', 'DEMO_UPSTREAM_KEY'])];
      return start(`${upstream.names.join('+')} :${upstream.port}`, args, environment);
    }),
  );
  await start('gateway', ['serve', '--config', configPath, ...process.argv.slice(3)]);
  process.stderr.write(`[demo] ready: ${byPort.size} mock upstreams and the gateway (${configPath}); Ctrl-C stops them all\n`);
} catch (error) {
  process.stderr.write(`[demo] ${error.message}\n`);
  stopAll(1);
}
