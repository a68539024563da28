import type { Advice } from './advise.js';
import { buildReportModel } from './build-report-model.js';
import { breakEvenChart } from './chart-break-even.js';
import { costStackChart } from './chart-cost-stack.js';
import { heatMapChart } from './chart-heat-map.js';
import { scoreBarsChart } from './chart-score-bars.js';
import type { Language } from './localized.js';
import type { Block, ChartId } from './report-model.js';
import { escapeXml } from './svg-kit.js';

/** Screen and print styles; A4 pages, no web fonts, nothing fetched. */
const STYLE = `
:root { color-scheme: light; }
/* CJK fonts named above for every OS (Noto/Source Han on Linux, PingFang on macOS, JhengHei on
   Windows); chart labels inherit the same stack instead of the SVG default serif. */
svg text { font-family: inherit; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans TC", "Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei", "Heiti TC", "WenQuanYi Micro Hei", "Droid Sans Fallback", sans-serif;
  color: #222; margin: 0 auto; max-width: 960px; padding: 24px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; border-bottom: 2px solid #1f6feb; padding-bottom: 4px; margin-top: 28px; }
.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 12px; }
th, td { border: 1px solid #d0d0d0; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #f2f5fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 8px 0 16px; }
figcaption { font-size: 12px; color: #555; }
svg.chart { max-width: 100%; height: auto; display: block; }
ul.checklist { list-style: none; padding-left: 0; }
ul.checklist li::before { content: "☐ "; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure, tr { break-inside: avoid; page-break-inside: avoid; }
  section { break-inside: auto; }
  a { color: inherit; text-decoration: none; }
}
`;

const CHARTS: Record<ChartId, (advice: Advice, language: Language) => string> = {
  'score-bars': scoreBarsChart,
  'heat-map': heatMapChart,
  'cost-stack': costStackChart,
  'break-even': breakEvenChart,
};

/** Inline `code` spans are the only markup the report texts use. */
const inline = (value: string): string => escapeXml(value).replace(/`([^`]+)`/g, '<code>$1</code>');

function renderBlock(block: Block, advice: Advice, language: Language): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${inline(block.text)}</p>`;
    case 'list':
      return `<ul${block.checklist === true ? ' class="checklist"' : ''}>${block.items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
    case 'table': {
      const head = `<thead><tr>${block.header.map((title) => `<th>${inline(title)}</th>`).join('')}</tr></thead>`;
      const rows = block.rows
        .map((row) => `<tr>${row.map((value, index) => `<td${block.numeric?.[index] === true ? ' class="num"' : ''}>${inline(value)}</td>`).join('')}</tr>`)
        .join('');
      return `<table>${head}<tbody>${rows}</tbody></table>`;
    }
    case 'chart':
      return `<figure>${CHARTS[block.chart](advice, language)}<figcaption>${inline(block.caption)}</figcaption></figure>`;
  }
}

/** A single self-contained HTML file: inline CSS and SVG, no scripts, no external requests. */
export function renderHtmlReport(advice: Advice, language: Language): string {
  const model = buildReportModel(advice, language);
  const sections = model.sections
    .map((section) => `<section id="${section.id}"><h2>${inline(section.title)}</h2>${section.blocks.map((block) => renderBlock(block, advice, language)).join('\n')}</section>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeXml(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${inline(model.title)}</h1><p class="subtitle">${inline(model.subtitle)}</p></header>
<main>
${sections}
</main>
</body>
</html>
`;
}
