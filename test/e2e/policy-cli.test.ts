import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, runSwitchyard } from './process-harness.js';

const HYBRID_ENV = {
  SWITCHYARD_KEY_FINANCE: 'k1',
  SWITCHYARD_KEY_RD: 'k2',
  AZURE_OPENAI_KEY: 'k3',
  OPENAI_API_KEY: 'k4',
  SWITCHYARD_HASH_KEY: 'k5',
};

function runWithStdin(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...HYBRID_ENV }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(input);
  return new Promise((done) => child.once('close', (code) => done({ code: code ?? -1, stdout, stderr })));
}

describe('switchyard policy explain', () => {
  it('explains a restricted message with the rule, tiers and masked text (JSON)', async () => {
    const result = await runSwitchyard(
      ['policy', 'explain', '--config', 'examples/hybrid.yaml', '客戶林雅雯的身分證字號 A123456789', '--json'],
      HYBRID_ENV,
    );
    expect(result.code).toBe(0);
    const explanation = JSON.parse(result.stdout) as { dataClass: string; rule: { name: string }; allowedTiers: string[]; entities: Array<{ type: string }> };
    expect(explanation.dataClass).toBe('restricted');
    expect(explanation.rule.name).toBe('restricted-on-prem');
    expect(explanation.allowedTiers).toEqual(['on-prem']);
    expect(explanation.entities.map((entity) => entity.type)).toEqual(expect.arrayContaining(['PERSON', 'TW_NATIONAL_ID']));
  });

  it('renders Traditional Chinese text from stdin, naming skipped rules and the masked text', async () => {
    const result = await runWithStdin(['policy', 'explain', '--config', 'examples/hybrid.yaml', '--lang', 'zh-TW'], '請聯絡林雅雯，電話 0912-345-678\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('資料等級: confidential');
    expect(result.stdout).toContain('restricted-on-prem');
    expect(result.stdout).toContain('請聯絡[PERSON_1]，電話 [PHONE_1]');
  });

  it('rejects a malformed --tag with one readable line and exit 1', async () => {
    const result = await runSwitchyard(['policy', 'explain', '--config', 'examples/hybrid.yaml', '--text', 'x', '--tag', 'novalue'], HYBRID_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('--tag expects key=value');
  });
});

describe('switchyard scan', () => {
  it('reads JSON Lines and writes entities with UTF-16 offsets and a data class', async () => {
    const result = await runWithStdin(['scan'], `${JSON.stringify({ id: 'r1', text: '電話：０９１２－３４５－６７８' })}\n${JSON.stringify({ id: 'r2', text: 'nothing here' })}\n`);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; entities: Array<{ type: string; start: number; end: number }>; data_class: string });
    expect(lines[0]).toMatchObject({ id: 'r1', entities: [{ type: 'PHONE', start: 3, end: 15 }] });
    expect(lines[1]).toMatchObject({ id: 'r2', entities: [], data_class: 'public' });
  });
});
