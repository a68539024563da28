import type { Advice } from './advise.js';
import type { Language } from './localized.js';
import { MODES } from './modes.js';
import { compactMoney, n, niceMax, PALETTE, svgOpen, text } from './svg-kit.js';

const API_PARTS = ['base', 'long_context', 'multi_step_chains', 'retries', 'peak_concurrency'] as const;
const API_PART_LABELS: Record<(typeof API_PARTS)[number], { en: string; 'zh-TW': string }> = {
  base: { en: 'base', 'zh-TW': '基本' },
  long_context: { en: 'long context', 'zh-TW': '長上下文' },
  multi_step_chains: { en: 'multi-step chains', 'zh-TW': '多步串接' },
  retries: { en: 'retries', 'zh-TW': '重試' },
  peak_concurrency: { en: 'peak concurrency', 'zh-TW': '尖峰併發' },
};

/** Vertical bars of monthly cost per mode; the API bar is stacked base + its four blow-up parts. */
export function costStackChart(advice: Advice, language: Language): string {
  const width = 680;
  const height = 310;
  const left = 64;
  const top = 16;
  const bottom = 78;
  const plotHeight = height - top - bottom;
  const maximum = niceMax(Math.max(...MODES.map((mode) => advice.cost[mode].monthly_total)));
  const y = (value: number): number => top + plotHeight - (plotHeight * value) / maximum;
  const slot = (width - left - 10) / MODES.length;
  const barWidth = slot * 0.55;
  const parts = [svgOpen('cost-stack', width, height, language === 'zh-TW' ? '各模式每月成本' : 'Monthly cost per mode')];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (maximum * tick) / 4;
    parts.push(`<line x1="${left}" y1="${n(y(value))}" x2="${width - 10}" y2="${n(y(value))}" stroke="${PALETTE.grid}"/>`);
    parts.push(text(left - 6, y(value) + 4, compactMoney(value), `font-size="10" text-anchor="end" fill="${PALETTE.axis}"`));
  }
  MODES.forEach((mode, index) => {
    const x = left + index * slot + (slot - barWidth) / 2;
    const total = advice.cost[mode].monthly_total;
    if (mode === 'api') {
      let running = 0;
      API_PARTS.forEach((part, partIndex) => {
        const value = advice.cost.api.breakdown[part];
        parts.push(
          `<rect data-part="${part}" x="${n(x)}" y="${n(y(running + value))}" width="${n(barWidth)}" height="${n(Math.max(0, y(running) - y(running + value)))}" fill="${PALETTE.apiParts[partIndex]}"/>`,
        );
        running += value;
      });
    } else {
      parts.push(`<rect data-mode="${mode}" x="${n(x)}" y="${n(y(total))}" width="${n(barWidth)}" height="${n(y(0) - y(total))}" fill="${mode === advice.winner ? PALETTE.winner : PALETTE.other}"/>`);
    }
    parts.push(text(x + barWidth / 2, y(total) - 4, compactMoney(total), `font-size="11" text-anchor="middle" fill="${PALETTE.text}"`));
    parts.push(text(x + barWidth / 2, y(0) + 14, mode, `font-size="11" text-anchor="middle" fill="${PALETTE.text}"`));
  });
  // Two legend rows (3 + 2) so long labels never overlap.
  API_PARTS.forEach((part, index) => {
    const x = left + (index % 3) * 200;
    const rowY = height - 38 + Math.floor(index / 3) * 16;
    parts.push(`<rect x="${x}" y="${rowY}" width="10" height="10" fill="${PALETTE.apiParts[index]}"/>`);
    parts.push(text(x + 14, rowY + 9, `API ${API_PART_LABELS[part][language]}`, `font-size="10" fill="${PALETTE.text}"`));
  });
  parts.push('</svg>');
  return parts.join('');
}
