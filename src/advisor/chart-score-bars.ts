import type { Advice } from './advise.js';
import type { Language } from './localized.js';
import { n, PALETTE, svgOpen, text } from './svg-kit.js';

/** Horizontal bars: weighted total (0–5) per mode, recommended mode highlighted, vetoed modes grey. */
export function scoreBarsChart(advice: Advice, language: Language): string {
  const width = 680;
  const rowHeight = 34;
  const left = 130;
  const right = 120;
  const top = 16;
  const height = top + advice.ranking.length * rowHeight + 28;
  const scale = (value: number): number => ((width - left - right) * value) / 5;
  const parts = [svgOpen('score-bars', width, height, language === 'zh-TW' ? '各模式加權總分' : 'Weighted total per mode')];
  for (let tick = 0; tick <= 5; tick += 1) {
    const x = left + scale(tick);
    parts.push(`<line x1="${n(x)}" y1="${top - 4}" x2="${n(x)}" y2="${n(height - 24)}" stroke="${PALETTE.grid}"/>`);
    parts.push(text(x, height - 8, String(tick), `font-size="11" text-anchor="middle" fill="${PALETTE.axis}"`));
  }
  advice.ranking.forEach((mode, index) => {
    const y = top + index * rowHeight;
    const vetoed = advice.vetoes[mode].length > 0;
    const fill = vetoed ? PALETTE.vetoed : mode === advice.winner ? PALETTE.winner : PALETTE.bar;
    const total = advice.totals[mode];
    parts.push(text(left - 8, y + 19, mode, `font-size="12" text-anchor="end" fill="${PALETTE.text}"`));
    parts.push(`<rect data-mode="${mode}" x="${left}" y="${y + 5}" width="${n(scale(total))}" height="${rowHeight - 12}" fill="${fill}" rx="2"/>`);
    const label = `${total.toFixed(2)}${vetoed ? (language === 'zh-TW' ? '（否決）' : ' (vetoed)') : mode === advice.winner ? (language === 'zh-TW' ? '（建議）' : ' (chosen)') : ''}`;
    parts.push(text(left + scale(total) + 6, y + 19, label, `font-size="12" fill="${PALETTE.text}"`));
  });
  parts.push('</svg>');
  return parts.join('');
}
