// The peer gateway: Portkey's open-source gateway, installed from npm into a temporary folder
// (reused across runs, keyed by version) so the benchmark needs no extra dependency in the repo.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const PORTKEY_VERSION = '1.15.2';

/**
 * A plain install of 1.15.2 resolves a newer @hono/node-server and returns 500 on streams and
 * embeddings; these are the versions its own lockfile pins. `overrides` forces them on the
 * nested dependency too.
 */
const PINS = { '@hono/node-server': '1.13.5', hono: '4.9.7', '@hono/node-ws': '1.2.0' };

/** Installs (once) and returns the folder, or throws with npm's output. */
export async function installPortkey(log) {
  const folder = join(tmpdir(), `switchyard-bench-portkey-${PORTKEY_VERSION}`);
  const entry = join(folder, 'node_modules/@portkey-ai/gateway/build/start-server.js');
  if (existsSync(entry)) return { folder, entry };
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({ name: 'switchyard-bench-portkey', private: true, dependencies: { '@portkey-ai/gateway': PORTKEY_VERSION, ...PINS }, overrides: PINS }, null, 2),
  );
  log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${folder} …`);
  await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--ignore-scripts'], { cwd: folder, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  if (!existsSync(entry)) throw new Error(`npm install finished but ${entry} is missing`);
  return { folder, entry };
}
