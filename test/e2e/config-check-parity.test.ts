import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runSwitchyard } from './process-harness.js';

/**
 * `config check` says ok only to configs `serve` accepts: both run the same validation, including
 * on resolved secrets (strength, duplicates, the bootstrap admin key) and on what a `${file:}`
 * reference points at (never a device, a pipe or a huge file — those used to hang it).
 */

function configWith(body: string, files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-parity-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
  execFileSync('mkfifo', [join(directory, 'pipe')]);
  const path = join(directory, 'switchyard.yaml');
  writeFileSync(
    path,
    `server: { port: 0 }\nstorage: { url: "sqlite:./gw.db" }\n${body}deployments:\n  - { id: d, tier: on-prem, provider: mock }\nmodels:\n  - { alias: c, targets: [{ deployment: d, model: m }] }\n`,
  );
  return path;
}

const cases: Array<{ name: string; body: string; expected: RegExp }> = [
  {
    name: 'a short key-store secret',
    body: 'identity:\n  key_store: { secret: "${file:short.txt}" }\n',
    expected: /identity\.key_store\.secret: the key-store secret is 5 characters; use at least 32/,
  },
  {
    name: 'two static keys with one value',
    body: 'auth:\n  keys:\n    - { id: a, key: "${file:same.txt}" }\n    - { id: b, key: "${file:same.txt}" }\n',
    expected: /auth\.keys\[1\]\.key: has the same value as auth\.keys\[0\] \('a'\)/,
  },
  {
    name: 'a static key equal to the bootstrap admin key',
    body: 'auth:\n  keys:\n    - { id: a, key: "${file:admin.txt}" }\nidentity:\n  bootstrap_admin_key: "${file:admin.txt}"\n',
    expected: /auth\.keys\[0\]\.key: has the same value as identity\.bootstrap_admin_key/,
  },
  {
    name: '${file:/dev/zero}',
    body: 'auth:\n  keys:\n    - { id: a, key: "${file:/dev/zero}" }\n',
    expected: /secret file \/dev\/zero is a device, not a regular file/,
  },
  {
    name: 'a named pipe',
    body: 'auth:\n  keys:\n    - { id: a, key: "${file:pipe}" }\n',
    expected: /secret file pipe is a pipe \(FIFO\), not a regular file/,
  },
  {
    name: 'a huge file',
    body: 'auth:\n  keys:\n    - { id: a, key: "${file:huge.txt}" }\n',
    expected: /secret file huge\.txt is 100000 bytes; a secret file may be at most 65536 bytes/,
  },
];

const files = { 'short.txt': 'short\n', 'same.txt': 'sy-the-same-value-0123456789\n', 'admin.txt': 'sy-admin-and-client-0123456789\n', 'huge.txt': 'x'.repeat(100_000) };

describe('config check runs every validation serve runs', () => {
  it.each(cases)('refuses $name, as serve does', async ({ body, expected }) => {
    const path = configWith(body, files);
    const [check, serve] = await Promise.all([runSwitchyard(['config', 'check', '--config', path]), runSwitchyard(['serve', '--config', path])]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(expected);
    expect(serve.code, serve.stdout + serve.stderr).toBe(1);
    expect(serve.stderr).toMatch(expected);
  });
});
