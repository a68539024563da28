import { compactMoney, escapeXml, n, niceMax, PALETTE, svgOpen, text } from '../advisor/svg-kit.js';
import type { LoadtestReport } from './report-schema.js';

type Language = 'en' | 'zh-TW';
const SERIES = ['#1f6feb', '#d97706', '#b91c1c', '#15803d', '#7c3aed'];

/** p50 and p95 latency per second of each scenario (solid p95, dashed p50), errors as red ticks. */
export function latencyChart(report: LoadtestReport, language: Language): string {
  const width = 680;
  const height = 280;
  const left = 56;
  const top = 16;
  const bottom = 56;
  const right = 12;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const seconds = Math.max(1, ...report.scenarios.map((scenario) => scenario.timeline.length));
  const maximum = niceMax(Math.max(1, ...report.scenarios.flatMap((scenario) => scenario.timeline.map((point) => point.p95_ms ?? 0))));
  const x = (second: number) => left + (plotWidth * (second + 0.5)) / seconds;
  const y = (ms: number) => top + plotHeight - (plotHeight * ms) / maximum;
  const parts = [svgOpen('latency-over-time', width, height, language === 'zh-TW' ? '延遲隨時間變化' : 'Latency over time')];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (maximum * tick) / 4;
    parts.push(`<line x1="${left}" y1="${n(y(value))}" x2="${width - right}" y2="${n(y(value))}" stroke="${PALETTE.grid}"/>`);
    parts.push(text(left - 6, y(value) + 4, `${Math.round(value)} ms`, `font-size="10" text-anchor="end" fill="${PALETTE.axis}"`));
  }
  for (let second = 0; second < seconds; second += 1) {
    parts.push(text(x(second), top + plotHeight + 14, `${second}s`, `font-size="10" text-anchor="middle" fill="${PALETTE.axis}"`));
  }
  report.scenarios.forEach((scenario, index) => {
    const colour = SERIES[index % SERIES.length] ?? PALETTE.api;
    const line = (pick: 'p50_ms' | 'p95_ms') =>
      scenario.timeline
        .filter((point) => point[pick] !== null)
        .map((point) => `${n(x(point.second))},${n(y(point[pick] ?? 0))}`)
        .join(' ');
    parts.push(`<polyline data-scenario="${escapeXml(scenario.name)}" data-series="p95" fill="none" stroke="${colour}" stroke-width="2" points="${line('p95_ms')}"/>`);
    parts.push(`<polyline data-scenario="${escapeXml(scenario.name)}" data-series="p50" fill="none" stroke="${colour}" stroke-width="1.5" stroke-dasharray="4 3" points="${line('p50_ms')}"/>`);
    for (const point of scenario.timeline.filter((entry) => entry.errors > 0)) {
      parts.push(`<line data-errors="${point.errors}" x1="${n(x(point.second))}" y1="${n(top + plotHeight)}" x2="${n(x(point.second))}" y2="${n(top + plotHeight - 6)}" stroke="#b91c1c" stroke-width="2"/>`);
    }
    const legendX = left + index * 150;
    parts.push(`<rect x="${legendX}" y="${height - 22}" width="10" height="10" fill="${colour}"/>`);
    parts.push(text(legendX + 14, height - 13, `${scenario.name} p95 / p50`, `font-size="10" fill="${PALETTE.text}"`));
  });
  parts.push('</svg>');
  return parts.join('');
}

const API_PARTS = ['base', 'long_context', 'multi_step_chains', 'retries', 'peak_concurrency'] as const;
const LABELS: Record<string, Record<Language, string>> = {
  base: { en: 'API base', 'zh-TW': 'API 基本' },
  long_context: { en: 'long context', 'zh-TW': '長上下文' },
  multi_step_chains: { en: 'chains', 'zh-TW': '多步串接' },
  retries: { en: 'retries', 'zh-TW': '重試' },
  peak_concurrency: { en: 'peak', 'zh-TW': '尖峰' },
  fixed: { en: 'private cloud fixed', 'zh-TW': '私有雲固定' },
  variable: { en: 'private cloud variable', 'zh-TW': '私有雲變動' },
  on_prem: { en: 'on-prem (sized for peak)', 'zh-TW': '地端（依尖峰配置）' },
};

/** Per scenario, three bars: API stacked by its four drivers, private cloud fixed + variable, on-prem. */
export function costChart(report: LoadtestReport, language: Language): string {
  const width = 680;
  const height = 320;
  const left = 64;
  const top = 16;
  const bottom = 90;
  const plotHeight = height - top - bottom;
  const maximum = niceMax(Math.max(1, ...report.scenarios.flatMap((scenario) => [scenario.cost.api.monthly_total, scenario.cost.private_cloud.monthly_total, scenario.cost.on_prem.monthly_total])));
  const y = (value: number) => top + plotHeight - (plotHeight * value) / maximum;
  const group = (width - left - 10) / report.scenarios.length;
  const barWidth = (group * 0.8) / 3;
  const parts = [svgOpen('cost-breakdown', width, height, language === 'zh-TW' ? '各情境每月成本推估' : 'Monthly cost projection per scenario')];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (maximum * tick) / 4;
    parts.push(`<line x1="${left}" y1="${n(y(value))}" x2="${width - 10}" y2="${n(y(value))}" stroke="${PALETTE.grid}"/>`);
    parts.push(text(left - 6, y(value) + 4, compactMoney(value), `font-size="10" text-anchor="end" fill="${PALETTE.axis}"`));
  }
  const stack = (x: number, segments: [string, number, string][]) => {
    let running = 0;
    for (const [part, value, colour] of segments) {
      parts.push(`<rect data-part="${part}" x="${n(x)}" y="${n(y(running + value))}" width="${n(barWidth)}" height="${n(Math.max(0, y(running) - y(running + value)))}" fill="${colour}"/>`);
      running += value;
    }
    parts.push(text(x + barWidth / 2, y(running) - 3, compactMoney(running), `font-size="9" text-anchor="middle" fill="${PALETTE.text}"`));
  };
  report.scenarios.forEach((scenario, index) => {
    const x0 = left + index * group + group * 0.1;
    const api = scenario.cost.api.breakdown;
    stack(
      x0,
      API_PARTS.map((part, partIndex) => [part, api[part], PALETTE.apiParts[partIndex] ?? PALETTE.api]),
    );
    stack(x0 + barWidth, [
      ['fixed', scenario.cost.private_cloud.fixed, '#a3a3a3'],
      ['variable', scenario.cost.private_cloud.variable, '#525252'],
    ]);
    stack(x0 + 2 * barWidth, [['on_prem', scenario.cost.on_prem.monthly_total, PALETTE.onPrem]]);
    parts.push(text(x0 + 1.5 * barWidth, y(0) + 14, scenario.name, `font-size="11" text-anchor="middle" fill="${PALETTE.text}"`));
  });
  const legend: [string, string][] = [
    ...API_PARTS.map((part, index): [string, string] => [part, PALETTE.apiParts[index] ?? PALETTE.api]),
    ['fixed', '#a3a3a3'],
    ['variable', '#525252'],
    ['on_prem', PALETTE.onPrem],
  ];
  legend.forEach(([part, colour], index) => {
    const lx = left + (index % 4) * 150;
    const ly = height - 60 + Math.floor(index / 4) * 16;
    parts.push(`<rect x="${lx}" y="${ly}" width="10" height="10" fill="${colour}"/>`);
    parts.push(text(lx + 14, ly + 9, LABELS[part]?.[language] ?? part, `font-size="10" fill="${PALETTE.text}"`));
  });
  parts.push('</svg>');
  return parts.join('');
}
