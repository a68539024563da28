/** Small helpers shared by the inline SVG charts (no external fonts, images or scripts). */
export const escapeXml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

export const PALETTE = {
  winner: '#1f6feb',
  bar: '#6e9bd6',
  vetoed: '#b8b8b8',
  axis: '#555555',
  grid: '#e3e3e3',
  text: '#222222',
  api: '#1f6feb',
  onPrem: '#d97706',
  /** Base + the API's four parts, in stacking order. */
  apiParts: ['#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08306b'],
  other: '#8c8c8c',
} as const;

/** Rounds coordinates so the markup stays short and stable across runs. */
export const n = (value: number): string => (Math.round(value * 10) / 10).toString();

/** Opens an accessible SVG element; `id` marks the chart for tests and print CSS. */
export function svgOpen(id: string, width: number, height: number, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${id}" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title"><title id="${id}-title">${escapeXml(title)}</title>`;
}

export function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${n(x)}" y="${n(y)}" ${attributes}>${escapeXml(content)}</text>`;
}

/** Colour from red (1) through amber (3) to green (5) for the heat map. */
export function scoreColour(score: number): string {
  const clamped = Math.min(5, Math.max(1, score));
  const stops: [number, [number, number, number]][] = [
    [1, [215, 48, 39]],
    [3, [254, 224, 139]],
    [5, [26, 152, 80]],
  ];
  const upper = clamped <= 3 ? 1 : 2;
  const [lowScore, lowColour] = stops[upper - 1] as [number, [number, number, number]];
  const [highScore, highColour] = stops[upper] as [number, [number, number, number]];
  const fraction = (clamped - lowScore) / (highScore - lowScore);
  const channel = (index: number): number => Math.round((lowColour[index] ?? 0) + ((highColour[index] ?? 0) - (lowColour[index] ?? 0)) * fraction);
  return `rgb(${channel(0)},${channel(1)},${channel(2)})`;
}

/** "Nice" upper bound for an axis: 1, 2 or 5 × a power of ten at or above `value`. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export const compactMoney = (value: number): string => {
  if (value >= 1_000_000) return `$${(value / 1_000_000).toFixed(1)}M`;
  if (value >= 1_000) return `$${(value / 1_000).toFixed(value >= 10_000 ? 0 : 1)}k`;
  return `$${Math.round(value)}`;
};
