#!/usr/bin/env node
/**
 * `npm start` / `npm run demo:*` build first, but only when a source changed since the last build:
 * compiling takes seconds a restart should not pay. Two outputs, each with its own inputs:
 * - the gateway: dist/cli/index.js, stale when missing or older than src/, a tsconfig or package.json;
 * - the console: web/dist/index.html, stale when missing or older than web/ (its sources, config
 *   and index.html; not web/dist itself) or package.json.
 * `npm install && npm start` on a fresh clone still builds both, because neither output exists yet.
 * An installed package ships web/dist without web/src: then there is nothing to rebuild it from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function newest(path, skip = new Set()) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    const child = join(path, entry);
    if (!skip.has(child)) latest = Math.max(latest, newest(child, skip));
  }
  return latest;
}

function isStale(output, inputs, skip) {
  const present = inputs.map((name) => join(root, name)).filter((path) => existsSync(path));
  return !existsSync(output) || Math.max(...present.map((path) => newest(path, skip))) > statSync(output).mtimeMs;
}

function run(description, args) {
  process.stderr.write(`${description}\n`);
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const gateway = join(root, 'dist', 'cli', 'index.js');
if (isStale(gateway, ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'])) {
  run('sources changed since the last build: building…', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')]);
}

const consoleIndex = join(root, 'web', 'dist', 'index.html');
const webSources = join(root, 'web', 'src');
const skip = new Set([join(root, 'web', 'dist'), join(root, 'web', 'node_modules')]);
if (existsSync(webSources) && isStale(consoleIndex, ['web', 'package.json'], skip)) {
  run('console sources changed since the last build: building web/…', [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', join(root, 'web'), '--logLevel', 'warn']);
}
