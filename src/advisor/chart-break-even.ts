import type { Advice } from './advise.js';
import type { Language } from './localized.js';
import { compactMoney, n, PALETTE, svgOpen, text } from './svg-kit.js';

/** On-prem vs API monthly cost over request volume (log x), with today's volume and the break-even marked. */
export function breakEvenChart(advice: Advice, language: Language): string {
  const curve = advice.costDetails.breakEvenCurve;
  const width = 680;
  const height = 300;
  const left = 64;
  const right = 16;
  const top = 16;
  const bottom = 56;
  const first = curve[0]?.requests_per_day ?? 1;
  const last = curve[curve.length - 1]?.requests_per_day ?? 10;
  const logMin = Math.log10(Math.max(first, 1e-6));
  const logMax = Math.log10(Math.max(last, first * 10));
  // Log–log: the API grows linearly with volume, on-prem in steps on a large fixed base; both stay readable.
  const values = curve.flatMap((point) => [point.api, point.on_prem]).filter((value) => value > 0);
  const yLogMin = Math.floor(Math.log10(Math.min(...values, 1)));
  const yLogMax = Math.ceil(Math.log10(Math.max(...values, 10)));
  const x = (requests: number): number => left + ((width - left - right) * (Math.log10(Math.max(requests, 1e-6)) - logMin)) / (logMax - logMin);
  const y = (value: number): number =>
    top + (height - top - bottom) * (1 - (Math.log10(Math.max(value, 10 ** yLogMin)) - yLogMin) / Math.max(1, yLogMax - yLogMin));
  const zh = language === 'zh-TW';
  const parts = [svgOpen('break-even', width, height, zh ? '地端與 API 損益平衡' : 'On-prem vs API break-even')];
  for (let power = yLogMin; power <= yLogMax; power += 1) {
    const value = 10 ** power;
    parts.push(`<line x1="${left}" y1="${n(y(value))}" x2="${width - right}" y2="${n(y(value))}" stroke="${PALETTE.grid}"/>`);
    parts.push(text(left - 6, y(value) + 4, compactMoney(value), `font-size="10" text-anchor="end" fill="${PALETTE.axis}"`));
  }
  for (let power = Math.ceil(logMin); power <= Math.floor(logMax); power += 1) {
    const requests = 10 ** power;
    parts.push(`<line x1="${n(x(requests))}" y1="${top}" x2="${n(x(requests))}" y2="${height - bottom}" stroke="${PALETTE.grid}"/>`);
    parts.push(text(x(requests), height - bottom + 14, requests >= 1000 ? `${requests / 1000}k` : String(requests), `font-size="10" text-anchor="middle" fill="${PALETTE.axis}"`));
  }
  parts.push(text((left + width - right) / 2, height - bottom + 30, zh ? '每日請求數（雙對數尺度）' : 'requests per day (log–log scale)', `font-size="11" text-anchor="middle" fill="${PALETTE.axis}"`));
  const line = (key: 'api' | 'on_prem', colour: string): string =>
    `<polyline data-series="${key}" fill="none" stroke="${colour}" stroke-width="2" points="${curve.map((point) => `${n(x(point.requests_per_day))},${n(y(point[key]))}`).join(' ')}"/>`;
  parts.push(line('api', PALETTE.api), line('on_prem', PALETTE.onPrem));
  const today = advice.traffic.traffic.requests_per_day;
  if (today > 0) {
    parts.push(`<line x1="${n(x(today))}" y1="${top}" x2="${n(x(today))}" y2="${height - bottom}" stroke="${PALETTE.text}" stroke-dasharray="4 3"/>`);
    parts.push(text(x(today) + 4, top + 12, zh ? '目前' : 'today', `font-size="10" fill="${PALETTE.text}"`));
  }
  const breakEven = advice.costDetails.breakEvenRequestsPerDay;
  if (breakEven !== null) {
    // The API cost is linear in volume, so scaling today's cost gives its value at the break-even point.
    const apiToday = advice.cost.api.monthly_total;
    const apiAtBreakEven = today > 0 ? (apiToday * breakEven) / today : 0;
    parts.push(`<circle data-marker="break-even" cx="${n(x(breakEven))}" cy="${n(y(apiAtBreakEven))}" r="4" fill="${PALETTE.text}"/>`);
    parts.push(text(x(breakEven) + 6, top + 28, `${zh ? '損益平衡' : 'break-even'} ≈ ${Math.round(breakEven).toLocaleString('en-US')}/${zh ? '日' : 'day'}`, `font-size="10" fill="${PALETTE.text}"`));
  }
  const legendY = height - 12;
  parts.push(`<rect x="${left}" y="${legendY - 9}" width="14" height="3" fill="${PALETTE.api}"/>`, text(left + 18, legendY - 5, 'API', `font-size="10" fill="${PALETTE.text}"`));
  parts.push(`<rect x="${left + 70}" y="${legendY - 9}" width="14" height="3" fill="${PALETTE.onPrem}"/>`, text(left + 88, legendY - 5, zh ? '地端' : 'on-prem', `font-size="10" fill="${PALETTE.text}"`));
  parts.push('</svg>');
  return parts.join('');
}
