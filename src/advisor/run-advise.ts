import { readFile, writeFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { adviceToJson, buildAdvice } from './advise.js';
import type { AnswersFile, TrafficInput } from './answers-schema.js';
import { parseAuditExport, trafficFromAudit } from './traffic-from-audit.js';
import { emitConfig } from './emit-config.js';
import { l, LANGUAGES, type Language, localize } from './localized.js';
import { type MeasuredSource, trafficFromLoadtest } from './traffic-from-loadtest.js';
import { askQuestionnaire, QuestionnaireAbortedError } from './questionnaire.js';
import { renderHtmlReport } from './report-html.js';
import { renderMarkdownReport } from './report-markdown.js';
import { validateAnswersText } from './validate-answers.js';

export const REPORT_FORMATS = ['json', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Exit code for bad input (answers file or options), as the issue requires. */
export const EXIT_BAD_INPUT = 2;

export interface AdviseOptions {
  answers?: string;
  format?: string;
  lang?: string;
  out?: string;
  normalizeWeights?: boolean;
  emitConfig?: string;
  /** JSONL audit export (`switchyard audit export`): measured traffic fills the cost inputs the answers file leaves out. */
  auditExport?: string;
  /** JSON report of `switchyard loadtest`: its measured mix and peak factor fill the cost inputs the answers file leaves out. */
  trafficFrom?: string;
}

export interface AdviseIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

const MESSAGES = {
  badFormat: { en: 'Unknown --format "{value}"; use json, md or html.', 'zh-TW': '未知的 --format「{value}」；請用 json、md 或 html。' },
  badLang: { en: 'Unknown --lang "{value}"; use zh-TW or en.', 'zh-TW': '未知的 --lang「{value}」；請用 zh-TW 或 en。' },
  cannotRead: { en: 'Cannot read answers file {path}: {reason}', 'zh-TW': '無法讀取答案檔 {path}：{reason}' },
  invalid: { en: 'Invalid answers file {path}:', 'zh-TW': '答案檔 {path} 有誤：' },
  wrote: { en: 'Wrote {path}', 'zh-TW': '已寫入 {path}' },
  aborted: { en: 'Questionnaire ended before every question was answered.', 'zh-TW': '問卷在回答完所有問題前就結束了。' },
  badAudit: { en: 'Cannot use audit export {path}: {reason}', 'zh-TW': '無法使用稽核匯出檔 {path}：{reason}' },
  badLoadtest: { en: 'Cannot use load-test report {path}: {reason}', 'zh-TW': '無法使用負載測試報告 {path}：{reason}' },
} as const;

const say = (template: { en: string; 'zh-TW': string }, language: Language, values: Record<string, string> = {}): string =>
  localize(template, language).replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

/** Renders the advice in one of the three formats. */
export function renderAdvice(
  file: AnswersFile,
  weights: Parameters<typeof buildAdvice>[1],
  format: ReportFormat,
  language: Language,
  measured?: TrafficInput,
  measuredFrom?: MeasuredSource,
): string {
  const advice = buildAdvice(file, weights, measured, measuredFrom);
  if (format === 'json') return `${JSON.stringify(adviceToJson(advice, language), null, 2)}\n`;
  if (format === 'md') return renderMarkdownReport(advice, language);
  return renderHtmlReport(advice, language);
}

/**
 * `switchyard advise`: returns the exit code instead of exiting, so tests and the CLI share it.
 * Messages follow --lang (English when --lang itself is invalid).
 */
export async function runAdvise(options: AdviseOptions, io: AdviseIo): Promise<number> {
  const language = (LANGUAGES as readonly string[]).includes(options.lang ?? 'en') ? ((options.lang ?? 'en') as Language) : undefined;
  if (language === undefined) {
    io.stderr.write(`${say(MESSAGES.badLang, 'en', { value: String(options.lang) })}\n`);
    return EXIT_BAD_INPUT;
  }
  const format = options.format ?? 'md';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    io.stderr.write(`${say(MESSAGES.badFormat, language, { value: format })}\n`);
    return EXIT_BAD_INPUT;
  }

  let measured: TrafficInput | undefined;
  let measuredFrom: MeasuredSource | undefined;
  if (options.trafficFrom !== undefined) {
    try {
      const fromLoadtest = trafficFromLoadtest(await readFile(options.trafficFrom, 'utf8'));
      measured = fromLoadtest.traffic;
      measuredFrom = fromLoadtest.source;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      io.stderr.write(`${say(MESSAGES.badLoadtest, language, { path: options.trafficFrom, reason })}\n`);
      return EXIT_BAD_INPUT;
    }
  }
  if (options.auditExport !== undefined) {
    try {
      const derived = trafficFromAudit(parseAuditExport(await readFile(options.auditExport, 'utf8')));
      if (derived === null) throw new Error('no records');
      // A load test measures the peak and retries under a controlled mix; the audit export, the real volume.
      measured = { ...derived.traffic, ...measured };
      measuredFrom ??= { kind: 'audit-export', description: l('Cost inputs measured from the gateway\'s audit export.', '成本輸入取自閘道稽核匯出的實測值。') };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      io.stderr.write(`${say(MESSAGES.badAudit, language, { path: options.auditExport, reason })}\n`);
      return EXIT_BAD_INPUT;
    }
  }

  let file: AnswersFile;
  let weights: Parameters<typeof buildAdvice>[1];
  if (options.answers !== undefined) {
    let text: string;
    try {
      text = await readFile(options.answers, 'utf8');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      io.stderr.write(`${say(MESSAGES.cannotRead, language, { path: options.answers, reason })}\n`);
      return EXIT_BAD_INPUT;
    }
    const result = validateAnswersText(text, { normalizeWeights: options.normalizeWeights === true });
    if (!result.ok) {
      io.stderr.write(`${say(MESSAGES.invalid, language, { path: options.answers })}\n`);
      for (const issue of result.issues) io.stderr.write(`  ${issue.path}: ${localize(issue.message, language)}\n`);
      return EXIT_BAD_INPUT;
    }
    file = result.file;
    weights = result.weights;
  } else {
    try {
      const answered = await askQuestionnaire({ input: io.stdin, output: io.stderr, language });
      file = answered.file;
      if (answered.savePath !== undefined) io.stderr.write(`${say(MESSAGES.wrote, language, { path: answered.savePath })}\n`);
    } catch (error) {
      if (error instanceof QuestionnaireAbortedError) {
        io.stderr.write(`${say(MESSAGES.aborted, language)}\n`);
        return EXIT_BAD_INPUT;
      }
      throw error;
    }
  }

  const report = renderAdvice(file, weights, format as ReportFormat, language, measured, measuredFrom);
  if (options.out !== undefined) {
    await writeFile(options.out, report, 'utf8');
    io.stderr.write(`${say(MESSAGES.wrote, language, { path: options.out })}\n`);
  } else {
    io.stdout.write(report);
  }
  if (options.emitConfig !== undefined) {
    await writeFile(options.emitConfig, emitConfig(buildAdvice(file, weights, measured, measuredFrom)), 'utf8');
    io.stderr.write(`${say(MESSAGES.wrote, language, { path: options.emitConfig })}\n`);
  }
  return 0;
}
