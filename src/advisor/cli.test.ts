import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateAnswers } from './validate-answers.js';
import { CLI_ENTRY } from '../../test/support/cli-entry.js';

const ENTRY = CLI_ENTRY;
const EXAMPLES = fileURLToPath(new URL('../../examples/advisor/', import.meta.url));
/** The repository root: `--import tsx` resolves tsx from the working directory. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'switchyard-advise-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns `node --import tsx test/support/cli.ts advise …`, optionally piping `input` to stdin. */
function advise(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', ENTRY, 'advise', ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

const write = (name: string, text: string): string => {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
};

const VALID = `answers:
  data_egress: forbidden
  audit_required: true
  latency: interactive
  traffic_volatility: low
  ops_capability: strong
  time_to_launch: longer
  resilience: not_needed
  offline_required: false
`;

describe('switchyard advise (CLI)', () => {
  it('exits 2 and names every offending path in a bad answers file', async () => {
    const path = write(
      'bad.yaml',
      `answers:
  data_egress: sometimes
  audit_required: true
  latency: interactive
  traffic_volatility: low
  ops_capability: strong
  time_to_launch: longer
  resilience: not_needed
  offline_required: false
  colour: blue
scores:
  api: { latency: 9 }
weights: { data_compliance: 50, latency: 10, availability: 10, cost: 10, control: 10, integration: 10, operations: 10, future: 10 }
`,
    );
    const run = await advise(['--answers', path]);
    expect(run.code).toBe(2);
    for (const offending of ['answers.data_egress', 'answers.colour', 'scores.api.latency', 'weights: weights sum to 120']) expect(run.stderr).toContain(offending);
    expect(run.stdout).toBe('');
  });

  it('prints the messages in Traditional Chinese with --lang zh-TW', async () => {
    const run = await advise(['--answers', write('bad-zh.yaml', VALID.replace('latency: interactive', 'latency: quick')), '--lang', 'zh-TW']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('答案檔');
    expect(run.stderr).toContain('answers.latency: "quick" 不在允許值 realtime|interactive|batch 之中');
  });

  it('accepts relative weights only with --normalize-weights', async () => {
    const path = write('relative.yaml', `${VALID}weights: { data_compliance: 4, latency: 2, availability: 2, cost: 3, control: 2, integration: 2, operations: 3, future: 2 }\n`);
    expect((await advise(['--answers', path, '--format', 'json'])).code).toBe(2);
    const run = await advise(['--answers', path, '--format', 'json', '--normalize-weights']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).sensitivity[0].weight).toBe(20);
  });

  it('exits 2 on an unknown --format or --lang and on a missing file', async () => {
    expect((await advise(['--answers', write('ok.yaml', VALID), '--format', 'pdf'])).code).toBe(2);
    expect((await advise(['--answers', write('ok2.yaml', VALID), '--lang', 'fr'])).code).toBe(2);
    expect((await advise(['--answers', join(directory, 'missing.yaml')])).code).toBe(2);
  });

  it('prints JSON in exactly the contract shape', async () => {
    const run = await advise(['--answers', join(EXAMPLES, 'bank-data-stays-inside.yaml'), '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual(['recommendation', 'modes', 'decision_tree', 'sensitivity', 'cost', 'sop']);
    expect(Object.keys(json.recommendation)).toEqual(['mode', 'runner_up', 'why']);
    expect(Object.keys(json.modes[0])).toEqual(['mode', 'total', 'vetoed', 'veto_reasons', 'scores', 'not_chosen_because']);
    expect(Object.keys(json.decision_tree)).toEqual(['steps', 'candidates', 'conflicts']);
    expect(Object.keys(json.decision_tree.steps[0])).toEqual(['question', 'answer', 'candidates', 'note']);
    expect(Object.keys(json.cost).sort()).toEqual(['api', 'hybrid', 'multi-cloud', 'on-prem', 'private-cloud']);
    expect(Object.keys(json.cost.api)).toEqual(['monthly_total', 'breakdown']);
    expect(Object.keys(json.cost.api.breakdown)).toEqual(['base', 'long_context', 'multi_step_chains', 'retries', 'peak_concurrency']);
    expect(json.sop).toHaveLength(9);
    expect(json.recommendation.mode).toBe('on-prem');
    for (const mode of json.modes) {
      if (mode.mode === json.recommendation.mode) expect(mode.not_chosen_because).toEqual([]);
      else expect(mode.not_chosen_because.length).toBeGreaterThan(0);
    }
  });

  it('writes an HTML report with --out and a starter config with --emit-config', async () => {
    const out = join(directory, 'report.html');
    const config = join(directory, 'switchyard.yaml');
    const run = await advise(['--answers', join(EXAMPLES, 'hospital-group-resilience.yaml'), '--format', 'html', '--lang', 'zh-TW', '--out', out, '--emit-config', config]);
    expect(run.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<html lang="zh-TW">');
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(readFileSync(config, 'utf8')).toContain('for mode: hybrid');
  });

  it('runs the questionnaire from piped stdin, saves the answers file and prints the report', async () => {
    const saved = join(directory, 'from-questionnaire.yaml');
    // data forbidden, audit yes, interactive, low, strong, longer, not_needed, offline no; 20000 requests/day, default tokens; save.
    const input = ['1', 'yes', '2', 'low', '3', '3', '1', 'n', '20000', '', '', saved, ''].join('\n');
    const run = await advise(['--format', 'md'], input);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('May data leave the company');
    expect(run.stdout).toContain('# Deployment decision: On-premises (on-prem)');
    expect(existsSync(saved)).toBe(true);
    const file = parse(readFileSync(saved, 'utf8'));
    expect(file.answers).toEqual({ data_egress: 'forbidden', audit_required: true, latency: 'interactive', traffic_volatility: 'low', ops_capability: 'strong', time_to_launch: 'longer', resilience: 'not_needed', offline_required: false });
    expect(file.traffic).toEqual({ requests_per_day: 20000 });
    expect(validateAnswers(file).ok).toBe(true);
  });

  it('re-asks after an invalid reply and accepts Chinese replies with --lang zh-TW', async () => {
    const input = ['9', 'isolated', '是', '1', '3', '1', 'months', 'needed', '否', '', '', '', '', ''].join('\n');
    const run = await advise(['--format', 'json', '--lang', 'zh-TW'], input);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('請輸入列出的編號或值');
    expect(JSON.parse(run.stdout).recommendation.mode).toBe('hybrid');
  });

  it('uses measured traffic from an audit export for the cost inputs the answers file leaves out', async () => {
    const records = Array.from({ length: 48 }, (_, hour) =>
      JSON.stringify({ time: new Date(Date.UTC(2026, 10, 1, hour)).toISOString(), status: 'ok', tokens: { input: 4000, output: 300 } }),
    );
    const audit = write('audit.jsonl', `${records.join('\n')}\n`);
    const run = await advise(['--answers', write('measured.yaml', VALID), '--audit-export', audit, '--format', 'md']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('| avg_input_tokens | 4,000 | measured (audit export) |');
    expect(run.stdout).toContain('| requests_per_day | 24.51 | measured (audit export) |');
    expect((await advise(['--answers', write('measured2.yaml', VALID), '--audit-export', write('bad.jsonl', 'nope\n')])).code).toBe(2);
  });

  it('exits 2 when stdin ends before the questionnaire is complete', async () => {
    const run = await advise([], '1\nyes\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ended before every question was answered');
  });
});
