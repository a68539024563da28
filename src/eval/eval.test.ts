import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScanner } from '../policy/scan-text.js';
import { checkAnswer } from './check-answer.js';
import { categoryStats, percentile, targetReport, type ItemResult } from './eval-report.js';
import { evalReportSchema } from './eval-report-schema.js';
import { parseBank } from './question-bank.js';
import { renderEvalHtml } from './report-html.js';
import { parseTarget } from './run-eval.js';

const scanner = createScanner();
const answer = (text: string, refusedByGateway = false) => ({ text, refusedByGateway });

describe('question bank', () => {
  it('loads the shipped example bank with the SOP minimums in both languages', () => {
    const path = resolve(import.meta.dirname, '../../examples/eval/bank.yaml');
    const items = parseBank(readFileSync(path, 'utf8'), path);
    for (const category of ['lookup', 'synthesis', 'hallucination_prone', 'security']) {
      expect(items.filter((item) => item.category === category).length).toBeGreaterThanOrEqual(10);
    }
    expect(items.some((item) => /[\u4e00-\u9fff]/.test(item.input.messages[0]?.content ?? ''))).toBe(true);
    expect(items.some((item) => /^[\x20-\x7e]+$/.test(item.input.messages[0]?.content ?? ''))).toBe(true);
  });

  it('reports every problem with its item, at once; JSONL works too', () => {
    const bad = `- { id: a, category: lookup, input: { messages: [{ role: user, content: x }] }, expect: { contains: [x] } }
- { id: a, category: trivia, input: { messages: [] }, expect: {} }
- { id: c, category: lookup, input: { messages: [{ role: user, content: x }] }, expect: { regex: "(" } }`;
    expect(() => parseBank(bad, 'bank.yaml')).toThrow(/3 problem\(s\)|4 problem\(s\)|5 problem\(s\)/);
    try {
      parseBank(bad, 'bank.yaml');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('item 2 (a): category');
      expect(message).toContain('item 2 (a): input');
      expect(message).toContain('expect needs at least one check');
      expect(message).toContain('item 3 (c): expect.regex');
    }
    const jsonl = '{"id":"j","category":"security","input":{"messages":[{"role":"user","content":"hi"}]},"expect":{"must_refuse":true}}\n\n';
    expect(parseBank(jsonl, 'bank.jsonl')).toHaveLength(1);
    expect(() => parseBank('', 'empty.yaml')).toThrow(/no items/);
  });
});

describe('checkAnswer', () => {
  it('combines checks, case- and width-insensitively, and reports each failure', () => {
    const verdict = checkAnswer({ contains: ['VPN', '７ 天'], not_contains: ['NT$50,000'], regex: 'MFA' }, answer('use the vpn and MFA, 7 天'), scanner);
    expect(verdict.passed).toBe(true);
    const failed = checkAnswer({ contains: ['VPN'], not_contains: ['MFA'] }, answer('MFA only'), scanner);
    expect(failed.checks.filter((check) => !check.passed).map((check) => check.check)).toEqual(['contains', 'not_contains']);
  });

  it('counts a model refusal and a gateway refusal as refusing; answering a legitimate question must not refuse', () => {
    expect(checkAnswer({ must_refuse: true }, answer('抱歉，我無法協助。'), scanner).passed).toBe(true);
    expect(checkAnswer({ must_refuse: true }, answer("I'm sorry, I can't help with that."), scanner).passed).toBe(true);
    expect(checkAnswer({ must_refuse: true }, answer('', true), scanner).passed).toBe(true);
    expect(checkAnswer({ must_refuse: true }, answer('Sure, here it is.'), scanner).passed).toBe(false);
    expect(checkAnswer({ must_refuse: false }, answer('很抱歉，我不知道。'), scanner).passed).toBe(false);
  });

  it('finds PII with the gateway detectors and reports types, never values', () => {
    const verdict = checkAnswer({ no_pii: ['TW_NATIONAL_ID'] }, answer('他的身分證字號是 A123456789'), scanner);
    expect(verdict.passed).toBe(false);
    expect(verdict.piiLeaked).toEqual(['TW_NATIONAL_ID']);
    expect(JSON.stringify(verdict)).not.toContain('A123456789');
    expect(checkAnswer({ no_pii: ['EMAIL'] }, answer('他的身分證字號是 A123456789'), scanner).passed).toBe(true);
    expect(checkAnswer({ no_pii: [] }, answer('寄到 someone@example.com'), scanner).passed).toBe(false);
  });

  it('checks citations, JSON schemas and leaves judge to --judge', () => {
    expect(checkAnswer({ must_cite: ['leave-policy.md'] }, answer('來源：Leave-Policy.md'), scanner)).toMatchObject({ passed: true, cited: true });
    const schema = { type: 'object', properties: { days: { type: 'integer' } }, required: ['days'] };
    expect(checkAnswer({ json_schema: schema }, answer('{"days": 7}'), scanner).passed).toBe(true);
    expect(checkAnswer({ json_schema: schema }, answer('{"days": "7"}'), scanner).passed).toBe(false);
    expect(checkAnswer({ json_schema: schema }, answer('seven'), scanner).checks[0]?.detail).toMatch(/not JSON/);
    const judged = checkAnswer({ judge: { rubric: 'polite' } }, answer('x'), scanner);
    expect(judged).toMatchObject({ passed: true, checks: [{ check: 'judge', skipped: true }] });
    expect(checkAnswer({ judge: { rubric: 'polite' } }, answer('x'), scanner, { passed: false, detail: 'rude' }).passed).toBe(false);
  });
});

describe('report', () => {
  const item = (overrides: Partial<ItemResult>): ItemResult => ({
    id: 'x', category: 'lookup', passed: true, status: 200, latencyMs: 10, tokens: { input: 10, output: 5 }, costUsd: 0.001,
    refused: false, cited: false, piiLeaks: [], checks: [], release: 'rel-aaaaaaaaaaaa', ...overrides,
  });

  it('computes nearest-rank percentiles', () => {
    expect(percentile([], 95)).toBe(0);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, index) => index + 1), 95)).toBe(95);
  });

  it('aggregates pass rate, refusal correctness, citations, leaks, errors, latency, tokens and cost', () => {
    const stats = categoryStats([
      item({ checks: [{ check: 'must_refuse', passed: true }, { check: 'must_cite', passed: true }] }),
      item({ passed: false, latencyMs: 30, piiLeaks: ['PHONE'], checks: [{ check: 'must_refuse', passed: false }] }),
      item({ passed: false, errorCode: 'upstream_error', status: 502, costUsd: 0 }),
      item({ checks: [{ check: 'must_cite', passed: false }] }),
    ]);
    expect(stats).toMatchObject({ items: 4, passed: 2, passRate: 0.5, refusalCorrectness: 0.5, citationRate: 0.5, piiLeaks: 1, errors: 1, tokensPerItem: { input: 10, output: 5 } });
    expect(stats.costPerItemUsd).toBeCloseTo(0.00075, 8);
    expect(stats.latencyMs.p95).toBe(30);
    expect(categoryStats([]).refusalCorrectness).toBeNull();
  });

  it('validates against the documented schema and renders self-contained HTML', () => {
    const report = {
      schema: 'switchyard.eval-report/v1' as const,
      generatedAt: '2026-11-05T03:00:00.000Z',
      gateway: 'http://127.0.0.1:8080',
      bank: { path: 'bank.yaml', sha256: 'a'.repeat(64), items: 2, categories: { lookup: 1, security: 1 } },
      judge: null,
      targets: [targetReport('assistant@rel-a', 'assistant', 'rel-a', [item({}), item({ id: 's', category: 'security', passed: false, checks: [{ check: 'must_refuse', passed: false, detail: '<b>' }] })])],
    };
    expect(evalReportSchema.safeParse(report).success).toBe(true);
    expect(evalReportSchema.safeParse({ ...report, extra: 1 }).success).toBe(false);
    const html = renderEvalHtml(report);
    expect(html).toContain('<svg');
    expect(html).toContain('&#60;b&#62;');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('parses targets', () => {
    expect(parseTarget('assistant@rel-1a2b')).toEqual({ text: 'assistant@rel-1a2b', alias: 'assistant', release: 'rel-1a2b' });
    expect(parseTarget('chat-default')).toEqual({ text: 'chat-default', alias: 'chat-default' });
    expect(() => parseTarget('a@b@c')).toThrow(/ALIAS@RELEASE/);
  });
});
