import { EVAL_CATEGORIES } from '../releases/releases-config-schema.js';
import type { EvalReport, TargetReport } from './eval-report.js';

/**
 * The evaluation report as one self-contained HTML file (no scripts, no network): targets side
 * by side — pass rate per category as grouped bars, latency p50/p95, cost and tokens per item,
 * and every failed item with the checks that failed.
 */
const COLOURS = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2'];

const escape = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
const pct = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);

function groupedBars(chart: string, title: string, groups: string[], series: Array<{ name: string; values: number[] }>, max: number, format: (value: number) => string): string {
  const width = 720;
  const height = 260;
  const left = 48;
  const bottom = 40;
  const plotHeight = height - bottom - 20;
  const groupWidth = (width - left) / Math.max(1, groups.length);
  const barWidth = Math.min(36, (groupWidth - 16) / Math.max(1, series.length));
  const bars = groups.flatMap((group, groupIndex) =>
    series.map((entry, seriesIndex) => {
      const value = entry.values[groupIndex] ?? 0;
      const barHeight = max > 0 ? (value / max) * plotHeight : 0;
      const x = left + groupIndex * groupWidth + (groupWidth - series.length * barWidth) / 2 + seriesIndex * barWidth;
      const y = 20 + plotHeight - barHeight;
      return `<rect data-target="${escape(entry.name)}" data-group="${escape(group)}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${COLOURS[seriesIndex % COLOURS.length]}"><title>${escape(`${entry.name} · ${group}: ${format(value)}`)}</title></rect>` +
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" font-size="9" text-anchor="middle">${escape(format(value))}</text>`;
    }),
  );
  const labels = groups.map((group, index) => `<text x="${(left + index * groupWidth + groupWidth / 2).toFixed(1)}" y="${height - 20}" font-size="11" text-anchor="middle">${escape(group)}</text>`);
  return `<figure><figcaption>${escape(title)}</figcaption><svg data-chart="${chart}" role="img" aria-label="${escape(title)}" viewBox="0 0 ${width} ${height}" width="100%"><line x1="${left}" y1="${20 + plotHeight}" x2="${width}" y2="${20 + plotHeight}" stroke="#999"/>${bars.join('')}${labels.join('')}</svg></figure>`;
}

function legend(targets: TargetReport[]): string {
  return `<p class="legend">${targets.map((target, index) => `<span><i style="background:${COLOURS[index % COLOURS.length]}"></i>${escape(target.target)}${target.servedBy.length > 0 ? ` (${escape(target.servedBy.join(', '))})` : ''}</span>`).join(' ')}</p>`;
}

function summaryTable(targets: TargetReport[]): string {
  const rows = targets.flatMap((target) =>
    [['all', target.overall] as const, ...EVAL_CATEGORIES.flatMap((category) => (target.categories[category] ? [[category, target.categories[category]] as const] : []))].map(
      ([category, stats]) =>
        `<tr><td>${escape(target.target)}</td><td>${category}</td><td>${stats.passed}/${stats.items}</td><td>${pct(stats.passRate)}</td><td>${pct(stats.refusalCorrectness)}</td><td>${pct(stats.citationRate)}</td><td>${stats.piiLeaks}</td><td>${stats.errors}</td><td>${stats.latencyMs.p50}</td><td>${stats.latencyMs.p95}</td><td>${stats.tokensPerItem.input}/${stats.tokensPerItem.output}</td><td>${stats.costPerItemUsd.toFixed(6)}</td></tr>`,
    ),
  );
  return `<table><thead><tr><th>target</th><th>category</th><th>passed</th><th>pass rate</th><th>refusal correct</th><th>citation rate</th><th>PII leaks</th><th>errors</th><th>p50 ms</th><th>p95 ms</th><th>tokens in/out per item</th><th>USD per item</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function failures(targets: TargetReport[]): string {
  const rows = targets.flatMap((target) =>
    target.items
      .filter((item) => !item.passed)
      .map((item) => `<tr><td>${escape(target.target)}</td><td>${escape(item.id)}</td><td>${item.category}</td><td>${item.status}${item.errorCode ? ` ${escape(item.errorCode)}` : ''}</td><td>${escape(item.checks.filter((check) => !check.passed).map((check) => `${check.check}${check.detail ? `: ${check.detail}` : ''}`).join('; '))}</td></tr>`),
  );
  return rows.length === 0 ? '<p>Every item passed.</p>' : `<table><thead><tr><th>target</th><th>item</th><th>category</th><th>status</th><th>failed checks</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function renderEvalHtml(report: EvalReport): string {
  const categories = EVAL_CATEGORIES.filter((category) => report.targets.some((target) => target.categories[category]));
  const passSeries = report.targets.map((target) => ({ name: target.target, values: categories.map((category) => target.categories[category]?.passRate ?? 0) }));
  const latencySeries = report.targets.map((target) => ({ name: target.target, values: [target.overall.latencyMs.p50, target.overall.latencyMs.p95] }));
  const maxLatency = Math.max(1, ...latencySeries.flatMap((entry) => entry.values));
  return `<!doctype html>
<html lang="zh-Hant"><head><meta charset="utf-8"><title>Switchyard evaluation ${escape(report.generatedAt)}</title>
<style>body{font-family:"Noto Sans CJK TC","Noto Sans TC",system-ui,sans-serif;margin:24px;color:#111;max-width:1100px}table{border-collapse:collapse;font-size:12px;margin:8px 0 24px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}figure{margin:0 0 24px}figcaption{font-weight:600}.legend span{margin-right:16px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}</style>
</head><body>
<h1>Switchyard evaluation · 評測報告</h1>
<p>Bank <code>${escape(report.bank.path)}</code> (${report.bank.items} items, sha256 ${report.bank.sha256.slice(0, 12)}) through <code>${escape(report.gateway)}</code> at ${escape(report.generatedAt)}; judge ${report.judge ? escape(report.judge) : 'off'}.</p>
${legend(report.targets)}
${groupedBars('pass-rate', 'Pass rate by category · 各類別通過率', categories, passSeries, 1, (value) => `${Math.round(value * 100)}%`)}
${groupedBars('latency', 'Latency (ms) · 延遲', ['p50', 'p95'], latencySeries, maxLatency, (value) => `${Math.round(value)}`)}
<h2>Summary · 摘要</h2>
${summaryTable(report.targets)}
<h2>Failed items · 未通過題目</h2>
${failures(report.targets)}
</body></html>
`;
}
