/** A format-neutral report: the Markdown and HTML renderers both draw from it, so they never disagree. */
export type ChartId = 'score-bars' | 'heat-map' | 'cost-stack' | 'break-even';

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[]; checklist?: boolean }
  | { kind: 'table'; header: string[]; rows: string[][]; numeric?: boolean[] }
  | { kind: 'chart'; chart: ChartId; caption: string };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportModel {
  language: 'en' | 'zh-TW';
  title: string;
  subtitle: string;
  sections: Section[];
}
