import { describe, expect, it } from 'vitest';
import { buildAdvice } from './advise.js';
import { renderHtmlReport } from './report-html.js';
import { renderMarkdownReport } from './report-markdown.js';
import { makeAnswers } from '../../test/support/advisor/test-answers.js';

const advice = buildAdvice({ answers: makeAnswers({ data_egress: 'isolated', time_to_launch: 'longer', resilience: 'needed' }), scores: { hybrid: { cost: 4 } } });

describe('reports', () => {
  it('the English Markdown report states every required part', () => {
    const markdown = renderMarkdownReport(advice, 'en');
    for (const heading of ['## Recommendation', '## Inputs', '## Decision-tree path', '## Scores × weights', '## Vetoes', '## Risk log', '## Sensitivity', '## Monthly cost projection', '## Nine-step PoC → production checklist']) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('Conflict:');
    expect(markdown.match(/^- \[ \] /gm)).toHaveLength(9);
    // the overridden hybrid cost score is marked in the scores × weights table
    expect(markdown).toMatch(/^\| Cost \| [\d.]+ \| 4 \| 3 \| 2 \| 4\* \| 2 \|$/m);
  });

  it('the Traditional Chinese report is in Chinese, with the same structure', () => {
    const markdown = renderMarkdownReport(advice, 'zh-TW');
    for (const heading of ['## 建議', '## 輸入', '## 決策樹路徑', '## 分數 × 權重', '## 否決', '## 風險紀錄', '## 敏感度分析', '## 每月成本推估', '## 九步驟']) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).not.toContain('## Recommendation');
    expect(markdown.match(/^- \[ \] /gm)).toHaveLength(9);
  });

  it('the risk log covers every mode that was not chosen', () => {
    const markdown = renderMarkdownReport(advice, 'en');
    const riskLog = markdown.split('## Risk log')[1]?.split('## Sensitivity')[0] ?? '';
    for (const mode of advice.ranking.filter((mode) => mode !== advice.winner)) expect(riskLog).toContain(`(${mode})`);
  });

  it('the HTML report is self-contained: four inline charts, print CSS for A4, no external references', () => {
    const html = renderHtmlReport(advice, 'en');
    for (const chart of ['score-bars', 'heat-map', 'cost-stack', 'break-even']) expect(html).toContain(`data-chart="${chart}"`);
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('@import');
    for (const part of ['base', 'long_context', 'multi_step_chains', 'retries', 'peak_concurrency']) expect(html).toContain(`data-part="${part}"`);
  });
});
