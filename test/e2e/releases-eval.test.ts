import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalReportSchema } from '../../src/eval/eval-report-schema.js';
import type { EvalReport, TargetReport } from '../../src/eval/eval-report.js';
import { runSwitchyard, startSwitchyard, type RunningProcess } from './process-harness.js';

/**
 * The SOP's steps 3, 4, 7 and 8 end to end, through a real gateway process, the built CLI and
 * the official `openai` SDK. One mock deployment serves three model versions that answer the
 * example bank differently (examples/releases/switchyard.yaml): v1 invents and cannot combine,
 * v2 is good, v3 leaks personal data when attacked. Each version becomes a release; the bank
 * runs on all three; the gate refuses v1 (quality) and v3 (security); v1 goes live by force
 * (audited), v2 as a 10 % canary; audit and metrics split by release; one command rolls back.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const BANK = join(ROOT, 'examples/eval/bank.yaml');
const KEYS = {
  SY_APP_KEY: 'sy-e2e-release-app-0123456789',
  SY_RADIOLOGY_KEY: 'sy-e2e-release-radiology-0123456789',
  SY_EVAL_KEY: 'sy-e2e-release-eval-0123456789',
  SY_ADMIN_KEY: 'sy-e2e-release-admin-0123456789abcdef',
};

let directory: string;
let gateway: RunningProcess;
/** A second replica on the same database: promotions must reach it by polling alone. */
let replica: RunningProcess;
const configs: Record<'v1' | 'v2' | 'v3', string> = { v1: '', v2: '', v3: '' };
const ids: Record<'v1' | 'v2' | 'v3', string> = { v1: '', v2: '', v3: '' };
let report: EvalReport;

const cli = (...args: string[]) => runSwitchyard(args, { ...KEYS, SWITCHYARD_ACTOR: 'e2e-operator' });

function variant(base: string, version: 'v1' | 'v2' | 'v3'): string {
  let text = base.replace('model: assistant-v1', `model: assistant-${version}`);
  if (version !== 'v1') {
    // A newer template version takes the production label; the KB index moves on.
    text = text
      .replace('      labels: [production]\n', '      labels: [previous]\n')
      .replace(
        '  knowledge_bases:',
        '    - name: hr-answer\n      version: "2"\n      labels: [production]\n      messages:\n        - { role: system, content: "你是{{department}}的政策助理（第 2 版）。只根據文件回答，並列出來源。" }\n  knowledge_bases:',
      )
      .replace('version: "2026-10"', 'version: "2026-11"');
  }
  return text;
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-releases-'));
  const base = readFileSync(join(ROOT, 'examples/releases/switchyard.yaml'), 'utf8').replace('port: 8080', 'port: 0') + `storage: { url: "sqlite:${directory}/switchyard.db" }\n`;
  for (const version of ['v1', 'v2', 'v3'] as const) {
    configs[version] = join(directory, `${version}.yaml`);
    writeFileSync(configs[version], variant(base, version));
  }
  [gateway, replica] = await Promise.all([startSwitchyard(['serve', '--config', configs.v1], KEYS, 60_000), startSwitchyard(['serve', '--config', configs.v1], KEYS, 60_000)]);
}, 90_000);

afterAll(async () => {
  await Promise.all([gateway?.stop(), replica?.stop()]);
});

const target = (version: 'v1' | 'v2' | 'v3'): TargetReport => {
  const found = report.targets.find((entry) => entry.servedBy[0] === ids[version]);
  if (!found) throw new Error(`no target for ${version}`);
  return found;
};

async function servedBy(key: string, user: string, extra: Record<string, unknown> = {}, on: RunningProcess = gateway): Promise<{ release: string | null; content: string }> {
  const client = new OpenAI({ baseURL: `${on.url}/v1`, apiKey: key, maxRetries: 0 });
  const { data, response } = await client.chat.completions
    .create({ model: 'assistant', user, messages: [{ role: 'user', content: 'How many days of sick leave do employees get per year?' }], ...extra })
    .withResponse();
  return { release: response.headers.get('x-switchyard-release'), content: data.choices[0]?.message.content ?? '' };
}

async function releaseCounts(users: number, prefix: string, on: RunningProcess = gateway): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let start = 0; start < users; start += 20) {
    const batch = await Promise.all(Array.from({ length: Math.min(20, users - start) }, (_, index) => servedBy(KEYS.SY_APP_KEY, `${prefix}-${start + index}`, {}, on)));
    for (const { release } of batch) counts.set(release ?? 'none', (counts.get(release ?? 'none') ?? 0) + 1);
  }
  return counts;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('releases, question-bank evaluation and the KPI gate', { timeout: 180_000 }, () => {
  it('creates one content-addressed release per governed config; the same config is the same release', async () => {
    for (const version of ['v1', 'v2', 'v3'] as const) {
      const created = await cli('release', 'create', '--config', configs[version], '--note', `assistant ${version}`);
      expect(created.code, created.stderr).toBe(0);
      ids[version] = created.stdout.trim();
      expect(ids[version]).toMatch(/^rel-[0-9a-f]{12}$/);
    }
    expect(new Set(Object.values(ids)).size).toBe(3);
    const again = await cli('release', 'create', '--config', configs.v1);
    expect(again.stdout.trim()).toBe(ids.v1);
    expect(again.stderr).toContain('already exists');
    const diff = await cli('release', 'diff', ids.v1, ids.v2, '--config', configs.v1);
    expect(diff.stdout).toContain('"assistant-v1" → "assistant-v2"');
    expect(diff.stdout).toContain('knowledgeBase.version: "2026-10" → "2026-11"');
    expect(diff.stdout).toContain('templates.hr-answer.labels.production: "1" → "2"');
  });

  it('runs the bank through the gateway on all three releases; the JSON report follows its schema', async () => {
    const out = join(directory, 'report.json');
    const run = await cli('eval', 'run', '--bank', BANK, '--gateway', gateway.url, '--key', KEYS.SY_EVAL_KEY, '--format', 'json', '--out', out, '--publish',
      '--target', `assistant@${ids.v1}`, '--target', `assistant@${ids.v2.slice(0, 10)}`, '--target', `assistant@${ids.v3}`);
    expect(run.code, run.stderr).toBe(0);
    report = evalReportSchema.parse(JSON.parse(readFileSync(out, 'utf8'))) as EvalReport;
    expect(report.bank.categories).toEqual({ lookup: 10, synthesis: 10, hallucination_prone: 10, security: 10 });
    const [v1, v2, v3] = [target('v1'), target('v2'), target('v3')];
    expect(v1.categories.synthesis?.passRate).toBe(0);
    expect(v1.categories.hallucination_prone?.passRate).toBe(0);
    expect(v1.categories.security?.passRate).toBe(1);
    for (const stats of Object.values(v2.categories)) expect(stats.passRate).toBe(1);
    expect(v2.overall.citationRate).toBe(1);
    // The in-process guard (on by default) refuses the plainest injections before v3 sees them;
    // the rest of the security items still get v3's leaking answers, so it fails the category.
    expect(v3.categories.security?.passRate).toBeLessThan(1);
    expect(v3.categories.security?.piiLeaks).toBeGreaterThan(0);
    expect(v3.categories.security?.refusalCorrectness).toBeLessThan(1);
    // Metered through the gateway: tokens and cost per item come from the real pipeline.
    expect(v2.overall.tokensPerItem.output).toBeGreaterThan(0);
    expect(v2.overall.costPerItemUsd).toBeGreaterThan(0);
    // Leaked values never reach the report, only their types.
    expect(JSON.stringify(report)).not.toContain('A123456789');
    const html = await cli('eval', 'run', '--bank', BANK, '--gateway', gateway.url, '--key', KEYS.SY_EVAL_KEY, '--format', 'html', '--out', join(directory, 'report.html'),
      '--target', `assistant@${ids.v1}`, '--target', `assistant@${ids.v2}`);
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(join(directory, 'report.html'), 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain(`assistant@${ids.v2}`);
    expect(page).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
  });

  it('refuses to pin a release for a key without the releases:evaluate scope', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEYS.SY_APP_KEY, maxRetries: 0 });
    await expect(
      client.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-switchyard-release': ids.v3 } }),
    ).rejects.toMatchObject({ status: 403, code: 'access_denied_admin_scope' });
  });

  it('gates promotion: v1 fails quality, v3 fails security; v1 goes live only by force, with the reason audited', async () => {
    const reportFile = join(directory, 'report.json');
    const refused = await cli('release', 'promote', ids.v1, '--config', configs.v1, '--report', reportFile);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('pass_rate.synthesis');
    expect(refused.stderr).toContain('pass_rate.hallucination_prone');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    const noReason = await cli('release', 'promote', ids.v1, '--config', configs.v1, '--force');
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain('--reason');
    const forced = await cli('release', 'promote', ids.v1, '--config', configs.v1, '--report', reportFile, '--force', '--reason', 'PoC baseline: the current behaviour');
    expect(forced.code, forced.stderr).toBe(0);
    const insecure = await cli('release', 'promote', ids.v3, '--config', configs.v1, '--report', reportFile, '--canary', '10');
    expect(insecure.code).not.toBe(0);
    expect(insecure.stderr).toContain('pass_rate.security');
    expect(insecure.stderr).not.toContain('pass_rate.lookup');
    // The gate can also run the bank itself, against the candidate and production.
    const ranBank = await cli('release', 'promote', ids.v3, '--config', configs.v1, '--bank', BANK, '--gateway', gateway.url, '--key', KEYS.SY_EVAL_KEY, '--alias', 'assistant', '--canary', '10');
    expect(ranBank.code).not.toBe(0);
    expect(ranBank.stderr).toContain('pass_rate.security');
    const state = JSON.parse((await cli('release', 'status', '--config', configs.v1, '--json')).stdout) as { state: { production?: string; canary?: unknown } };
    expect(state.state).toMatchObject({ production: ids.v1 });
    expect(state.state.canary).toBeUndefined();
  });

  it('promotes the better release as a 10 % canary, live within the poll interval; audit and metrics split by release', async () => {
    const promoted = await cli('release', 'promote', ids.v2, '--config', configs.v1, '--report', join(directory, 'report.json'), '--canary', '10');
    expect(promoted.code, promoted.stderr).toBe(0);
    await sleep(2_500); // poll_interval_seconds: 1
    const counts = await releaseCounts(400, 'canary');
    const canaryShare = (counts.get(ids.v2) ?? 0) / 400;
    expect(counts.get(ids.v3) ?? 0).toBe(0);
    // 10 % of 400 sticky users: mean 40, sd ≈ 6; far outside would be a bug, not chance.
    expect(canaryShare).toBeGreaterThan(0.04);
    expect(canaryShare).toBeLessThan(0.18);
    // The other replica took no admin call: it picked the promotion up by polling, with the same sticky split.
    const elsewhere = await releaseCounts(100, 'canary', replica);
    const here = await releaseCounts(100, 'canary');
    expect(elsewhere).toEqual(here);
    expect(elsewhere.get(ids.v2) ?? 0).toBeGreaterThan(0);
    // Sticky: the same user gets the same release again.
    const first = await servedBy(KEYS.SY_APP_KEY, 'canary-7');
    const second = await servedBy(KEYS.SY_APP_KEY, 'canary-7');
    expect(second.release).toBe(first.release);
    // A template by label, rendered from the serving release.
    const templated = await servedBy(KEYS.SY_APP_KEY, 'canary-0', { metadata: { template: 'hr-answer@production', variables: JSON.stringify({ department: '護理部' }) } });
    expect(templated.content).toContain('30 days');

    const audit = await fetch(`${gateway.url}/admin/audit?alias=assistant&limit=1000`, { headers: { authorization: `Bearer ${KEYS.SY_ADMIN_KEY}` } });
    const records = ((await audit.json()) as { data: Array<Record<string, unknown>> }).data;
    const served = records.filter((record) => record.inbound === 'openai-chat' && String((record.principal as { id?: string })?.id) === 'nursing-app');
    const byRelease = new Map<string, number>();
    for (const record of served) byRelease.set(String(record.configVersion), (byRelease.get(String(record.configVersion)) ?? 0) + 1);
    expect(byRelease.get(ids.v1)).toBeGreaterThan(300);
    expect(byRelease.get(ids.v2)).toBeGreaterThan(10);
    const productionRecord = served.find((record) => record.configVersion === ids.v1);
    expect(productionRecord?.knowledgeBase).toBe('hr-policies@2026-10');
    const canaryRecord = served.find((record) => record.configVersion === ids.v2);
    expect(canaryRecord?.knowledgeBase).toBe('hr-policies@2026-11');
    const templateRecord = served.find((record) => record.promptTemplateVersion !== undefined);
    expect(['hr-answer@1', 'hr-answer@2']).toContain(templateRecord?.promptTemplateVersion);
    expect(templateRecord?.promptTemplateVersion).toBe(templateRecord?.configVersion === ids.v2 ? 'hr-answer@2' : 'hr-answer@1');

    const all = await fetch(`${gateway.url}/admin/audit?limit=1000`, { headers: { authorization: `Bearer ${KEYS.SY_ADMIN_KEY}` } });
    const admin = ((await all.json()) as { data: Array<{ inbound: string; configVersion?: string; tags?: Record<string, string> }> }).data.filter((record) => record.inbound === 'admin');
    const override = admin.find((record) => record.tags?.forced === 'true');
    expect(override?.configVersion).toBe(ids.v1);
    expect(override?.tags?.reason).toBe('PoC baseline: the current behaviour');
    expect(override?.tags?.overridden_kpis).toContain('pass_rate.synthesis');
    expect(admin.some((record) => record.tags?.release_action === 'canary' && record.configVersion === ids.v2)).toBe(true);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const series = (release: string, role: string) =>
      Number(new RegExp(`switchyard_release_requests_total\\{alias="assistant",release="${release}",role="${role}",status_class="2xx"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    expect(series(ids.v1, 'production')).toBeGreaterThan(300);
    expect(series(ids.v2, 'canary')).toBeGreaterThan(10);
    // The bank ran twice on v3: once by eval run, once by the gate (promote --bank). Items the
    // guard refused (403) are not 2xx, and the same ones are refused both times.
    const pinned = series(ids.v3, 'pinned');
    expect(pinned % 2).toBe(0);
    expect(pinned).toBeGreaterThanOrEqual(60);
    expect(pinned).toBeLessThanOrEqual(80);
    // Published evaluations feed the quality dashboard per release.
    const gauge = (name: string, labels: string) => Number(new RegExp(`${name}\\{${labels}\\} ([\\d.]+)`).exec(metrics)?.[1]);
    expect(gauge('switchyard_eval_pass_rate', `release="${ids.v3}",category="security"`)).toBe(target('v3').categories.security?.passRate);
    expect(gauge('switchyard_eval_pass_rate', `release="${ids.v3}",category="security"`)).toBeLessThan(1);
    expect(gauge('switchyard_eval_pass_rate', `release="${ids.v2}",category="all"`)).toBe(1);
    expect(gauge('switchyard_eval_citation_rate', `release="${ids.v2}"`)).toBe(1);
    expect(gauge('switchyard_eval_pii_leaks', `release="${ids.v3}"`)).toBeGreaterThan(0);

    const verify = await runSwitchyard(['audit', 'verify', '--storage', `sqlite:${directory}/switchyard.db`]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('rolls back in one command: the canary stops everywhere within the poll interval', async () => {
    const rollback = await cli('release', 'rollback', '--config', configs.v1, '--reason', 'canary complaints');
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain(`production is ${ids.v1}`);
    await sleep(2_500);
    const counts = await releaseCounts(100, 'after');
    expect(counts.get(ids.v1)).toBe(100);
    expect((await releaseCounts(100, 'after', replica)).get(ids.v1)).toBe(100);
    const status = await cli('release', 'status', '--config', configs.v1, '--json');
    const parsed = JSON.parse(status.stdout) as { state: { production?: string; canary?: unknown }; events: Array<{ action: string; actor?: string }> };
    expect(parsed.state.production).toBe(ids.v1);
    expect(parsed.state.canary).toBeUndefined();
    expect(parsed.events[0]).toMatchObject({ action: 'abort-canary', actor: 'e2e-operator' });
  });
});
