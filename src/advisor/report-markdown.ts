import type { Advice } from './advise.js';
import { buildReportModel } from './build-report-model.js';
import type { Language } from './localized.js';
import type { Block } from './report-model.js';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function renderBlock(block: Block, language: Language): string {
  switch (block.kind) {
    case 'paragraph':
      return block.text;
    case 'list':
      return block.items.map((item) => (block.checklist === true ? `- [ ] ${item}` : `- ${item}`)).join('\n');
    case 'table': {
      const align = block.header.map((_, index) => (block.numeric?.[index] === true ? '---:' : '---'));
      return [
        `| ${block.header.map(cell).join(' | ')} |`,
        `| ${align.join(' | ')} |`,
        ...block.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ].join('\n');
    }
    case 'chart':
      // Charts are SVG; the Markdown report points to the HTML one instead of embedding images.
      return language === 'zh-TW' ? `_圖表：${block.caption}（見 HTML 報告）_` : `_Chart: ${block.caption} (see the HTML report)_`;
  }
}

/** The report as Markdown (same content as the HTML report, minus the charts). */
export function renderMarkdownReport(advice: Advice, language: Language): string {
  const model = buildReportModel(advice, language);
  const parts = [`# ${model.title}`, model.subtitle];
  for (const section of model.sections) {
    parts.push(`## ${section.title}`);
    for (const block of section.blocks) parts.push(renderBlock(block, language));
  }
  return `${parts.join('\n\n')}\n`;
}
