import type { Advice } from './advise.js';
import { CRITERIA, CRITERION_PROFILES } from './criteria.js';
import { type Language, localize } from './localized.js';
import { MODES } from './modes.js';
import { escapeXml, n, PALETTE, scoreColour, svgOpen, text } from './svg-kit.js';

/** Modes × criteria grid coloured by score, with each criterion's weight under its name. */
export function heatMapChart(advice: Advice, language: Language): string {
  const width = 720;
  const left = 110;
  const top = 58;
  const cellWidth = (width - left - 10) / CRITERIA.length;
  const cellHeight = 30;
  const height = top + MODES.length * cellHeight + 10;
  const parts = [svgOpen('heat-map', width, height, language === 'zh-TW' ? '準則熱度圖' : 'Criterion heat map')];
  CRITERIA.forEach((criterion, column) => {
    const x = left + column * cellWidth + cellWidth / 2;
    const words = localize(CRITERION_PROFILES[criterion].name, language).split(/\s+/);
    const lines = words.length > 2 ? [words.slice(0, 2).join(' '), words.slice(2).join(' ')] : words;
    const spans = lines.map((line, index) => `<tspan x="${n(x)}" dy="${index === 0 ? 0 : 12}">${escapeXml(line)}</tspan>`).join('');
    parts.push(`<text x="${n(x)}" y="14" font-size="10" text-anchor="middle" fill="${PALETTE.text}">${spans}</text>`);
    parts.push(text(x, top - 8, `${advice.weights[criterion].toFixed(1)}%`, `font-size="10" text-anchor="middle" fill="${PALETTE.axis}"`));
  });
  MODES.forEach((mode, row) => {
    const y = top + row * cellHeight;
    const vetoed = advice.vetoes[mode].length > 0;
    parts.push(text(left - 8, y + 19, mode, `font-size="12" text-anchor="end" fill="${vetoed ? PALETTE.vetoed : PALETTE.text}"`));
    CRITERIA.forEach((criterion, column) => {
      const score = advice.table[mode][criterion];
      const x = left + column * cellWidth;
      parts.push(`<rect x="${n(x + 1)}" y="${n(y + 1)}" width="${n(cellWidth - 2)}" height="${cellHeight - 2}" fill="${scoreColour(score)}" opacity="${vetoed ? 0.45 : 1}"/>`);
      parts.push(text(x + cellWidth / 2, y + 19, String(score), `font-size="12" text-anchor="middle" fill="${PALETTE.text}"`));
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
