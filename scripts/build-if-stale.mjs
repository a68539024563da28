#!/usr/bin/env node
/**
 * `npm start` / `npm run demo:*` build first, but only when a source changed since the last build:
 * compiling takes seconds a restart should not pay. Stale = dist/cli/index.js missing, or any file
 * under src/ (or a tsconfig / package.json) newer than it. `npm install && npm start` on a fresh
 * clone still builds, because dist/ does not exist yet.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const output = join(root, 'dist', 'cli', 'index.js');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((name) => join(root, name)).filter((path) => existsSync(path));
const stale = !existsSync(output) || Math.max(...inputs.map(newest)) > statSync(output).mtimeMs;
if (stale) {
  process.stderr.write('sources changed since the last build: building…\n');
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
