import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ScanOutputLine } from './scan.js';
import { CLI_ENTRY } from '../../test/support/cli-entry.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = CLI_ENTRY;

/** Spawns the real command, as `switchyard scan` would run, feeding `input` on stdin. */
function runScanCli(input: string, args: readonly string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, 'scan', ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function parseLines(stdout: string): ScanOutputLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ScanOutputLine);
}

describe('switchyard scan', () => {
  it('turns {"id","text"} lines into {"id","entities","data_class"} lines with UTF-16 offsets', async () => {
    const text = '😀 客戶王小明，身分證A123456789，手機０９１２－３４５－６７８';
    const input = [JSON.stringify({ id: 'r1', text }), JSON.stringify({ id: 2, text: 'Nothing to see.' })].join('\n');
    const result = await runScanCli(`${input}\n`);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [first, second] = parseLines(result.stdout);
    expect(first?.id).toBe('r1');
    expect(first?.data_class).toBe('restricted');
    expect(first?.entities.map((entity) => [entity.type, text.slice(entity.start, entity.end)])).toEqual([
      ['PERSON', '王小明'],
      ['TW_NATIONAL_ID', 'A123456789'],
      ['PHONE', '０９１２－３４５－６７８'],
    ]);
    expect(Object.keys(first?.entities[0] ?? {}).sort()).toEqual(['end', 'score', 'start', 'type']);
    expect(second).toEqual({ id: 2, entities: [], data_class: 'public' });
  });

  it('reports each bad line on stderr with its line number, keeps scanning, and exits 1', async () => {
    const input = [
      JSON.stringify({ id: 'ok-1', text: 'mail a@example.com' }),
      '{"id": "broken", "text": "password: hunter22',
      '',
      JSON.stringify({ id: 'no-text' }),
      JSON.stringify({ id: 'ok-2', text: 'NT$500' }),
    ].join('\n');
    const result = await runScanCli(`${input}\n`);
    expect(result.code).toBe(1);
    expect(parseLines(result.stdout).map((line) => line.id)).toEqual(['ok-1', 'ok-2']);
    const errors = result.stderr.trim().split('\n');
    expect(errors[0]).toMatch(/^switchyard scan: line 2: invalid JSON/);
    expect(errors[1]).toMatch(/^switchyard scan: line 4 \(id "no-text"\): text: /);
    expect(errors[2]).toBe('switchyard scan: 2 line(s) could not be scanned');
    // The offending line's content (a password here) is never echoed.
    expect(result.stderr).not.toContain('hunter22');
  });

  it('loads custom detectors from --detectors and exits 2 when the file is unusable', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'switchyard-scan-'));
    const good = path.join(directory, 'detectors.yaml');
    writeFileSync(good, 'custom:\n  - kind: keywords\n    id: codenames\n    entity: PROJECT_CODE\n    keywords: [Bluebird]\n');
    const found = await runScanCli(`${JSON.stringify({ id: 'x', text: 'Project Bluebird ships' })}\n`, ['--detectors', good]);
    expect(found.code).toBe(0);
    expect(parseLines(found.stdout)[0]?.entities).toEqual([{ type: 'PROJECT_CODE', start: 8, end: 16, score: 0.9 }]);
    expect(parseLines(found.stdout)[0]?.data_class).toBe('confidential');

    const bad = path.join(directory, 'bad.yaml');
    writeFileSync(bad, 'custom:\n  - kind: regex\n    id: evil\n    entity: EVIL\n    pattern: "(a+)+$"\n');
    const rejected = await runScanCli('', ['--detectors', bad]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr.trim().split('\n')).toHaveLength(1);
    expect(rejected.stderr).toMatch(/custom detector "evil": pattern .* rejected: .*nested quantifiers/);
  });
});
