import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { stringify } from 'yaml';
import { ANSWER_KEYS, type Answers, type AnswersFile, type TrafficInput } from './answers-schema.js';
import { l, type Language, type Localized, localize } from './localized.js';
import { TRAFFIC_DEFAULTS } from './traffic.js';

/** Raised when the input ends before every question is answered. */
export class QuestionnaireAbortedError extends Error {
  constructor() {
    super('questionnaire input ended early');
    this.name = 'QuestionnaireAbortedError';
  }
}

interface Question {
  key: keyof Answers;
  text: Localized;
  options: { value: string | boolean; label: Localized }[];
}

const YES_NO = [
  { value: true, label: l('yes', '是') },
  { value: false, label: l('no', '否') },
];

/** The eight answers, asked in the order of the five key questions and the tree. */
export const QUESTIONS: readonly Question[] = [
  {
    key: 'data_egress',
    text: l('May data leave the company (prompts, documents, replies, logs)?', '資料可以離開公司嗎（提示詞、文件、回覆、紀錄）？'),
    options: [
      { value: 'forbidden', label: l('forbidden: must stay inside', 'forbidden：必須留在內部') },
      { value: 'isolated', label: l('isolated: may leave only isolated and audited', 'isolated：僅能在隔離且可稽核下外流') },
      { value: 'allowed', label: l('allowed: low sensitivity', 'allowed：敏感度低，可外流') },
    ],
  },
  { key: 'audit_required', text: l('Are audit and traceability required?', '是否需要稽核與可追溯？'), options: YES_NO },
  {
    key: 'latency',
    text: l('How strict is latency?', '延遲要求多嚴格？'),
    options: [
      { value: 'realtime', label: l('realtime: voice, agents in a loop', 'realtime：語音、即時代理') },
      { value: 'interactive', label: l('interactive: chat, assistants', 'interactive：對話、助理') },
      { value: 'batch', label: l('batch: offline jobs', 'batch：離線批次') },
    ],
  },
  {
    key: 'traffic_volatility',
    text: l('How volatile is traffic?', '流量波動有多大？'),
    options: [
      { value: 'low', label: l('low', 'low：低') },
      { value: 'medium', label: l('medium', 'medium：中') },
      { value: 'high', label: l('high', 'high：高') },
    ],
  },
  {
    key: 'ops_capability',
    text: l('Can the company operate it (monitoring, alerting, backup, versions, security)?', '公司能自行維運嗎（監控、告警、備份、版本、資安）？'),
    options: [
      { value: 'none', label: l('none', 'none：沒有') },
      { value: 'basic', label: l('basic', 'basic：基本') },
      { value: 'strong', label: l('strong', 'strong：完整') },
    ],
  },
  {
    key: 'time_to_launch',
    text: l('How fast must it launch?', '需要多快上線？'),
    options: [
      { value: 'weeks', label: l('weeks: 2–4 weeks', 'weeks：2–4 週') },
      { value: 'months', label: l('months: 1–3 months of planning and governance', 'months：1–3 個月規劃與治理') },
      { value: 'longer', label: l('longer: and willing to operate', 'longer：更久，且願意自行維運') },
    ],
  },
  {
    key: 'resilience',
    text: l('Is high resilience and substitutability required?', '是否需要高韌性與可替代性？'),
    options: [
      { value: 'not_needed', label: l('not_needed: make one mode solid first', 'not_needed：先把單一模式做穩') },
      { value: 'needed', label: l('needed: external, core, cannot stop', 'needed：對外、核心、不能停') },
    ],
  },
  { key: 'offline_required', text: l('Must it work offline (no internet)?', '是否必須離線運作（無網際網路）？'), options: YES_NO },
];

const TRAFFIC_QUESTIONS: readonly { key: keyof TrafficInput; text: Localized }[] = [
  { key: 'requests_per_day', text: l('Requests (tasks) per day', '每日請求（任務）數') },
  { key: 'avg_input_tokens', text: l('Average input tokens per call', '每次呼叫平均輸入 token') },
  { key: 'avg_output_tokens', text: l('Average output tokens per call', '每次呼叫平均輸出 token') },
];

const TEXT = {
  intro: l('Switchyard deployment advisor: answer with the number or the value.', 'Switchyard 部署顧問：請輸入選項編號或值。'),
  invalid: l('Please answer with one of the numbers or values shown.', '請輸入列出的編號或值。'),
  numberHint: l('blank = default', '空白 = 預設'),
  invalidNumber: l('Please enter a non-negative number, or leave it blank.', '請輸入非負數，或留空。'),
  save: l('Save the answers file to (blank to skip)', '答案檔儲存路徑（空白略過）'),
};

export interface QuestionnaireResult {
  file: AnswersFile;
  savePath?: string;
}

/** Matches "2", "isolated", "yes", "是" etc. against a question's options. */
function matchOption(question: Question, reply: string, language: Language): string | boolean | undefined {
  const trimmed = reply.trim().toLowerCase();
  const index = Number.parseInt(trimmed, 10);
  if (String(index) === trimmed && index >= 1 && index <= question.options.length) return question.options[index - 1]?.value;
  for (const option of question.options) {
    const names = [String(option.value), localize(option.label, language), option.label.en, option.label['zh-TW']].map((name) => name.toLowerCase());
    if (names.includes(trimmed) || (typeof option.value === 'boolean' && ['y', 'n'].includes(trimmed) && (trimmed === 'y') === option.value)) {
      return option.value;
    }
  }
  return undefined;
}

/**
 * Asks the questions over any line stream (a terminal, or piped stdin in tests). Lines are
 * read through the async iterator, which buffers piped input that arrives all at once.
 */
export async function askQuestionnaire(options: { input: Readable; output: Writable; language: Language }): Promise<QuestionnaireResult> {
  const { input, output, language } = options;
  const reader = createInterface({ input, terminal: false, crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string> => {
    output.write(prompt);
    const next = await lines.next();
    if (next.done === true) throw new QuestionnaireAbortedError();
    return String(next.value);
  };
  try {
    output.write(`${localize(TEXT.intro, language)}\n`);
    const answers: Record<string, string | boolean> = {};
    for (const [position, question] of QUESTIONS.entries()) {
      const menu = question.options.map((option, index) => `  ${index + 1}) ${localize(option.label, language)}`).join('\n');
      for (;;) {
        const reply = await ask(`\n${position + 1}/${QUESTIONS.length} ${localize(question.text, language)}\n${menu}\n> `);
        const value = matchOption(question, reply, language);
        if (value !== undefined) {
          answers[question.key] = value;
          break;
        }
        output.write(`${localize(TEXT.invalid, language)}\n`);
      }
    }
    const traffic: TrafficInput = {};
    for (const question of TRAFFIC_QUESTIONS) {
      const fallback = TRAFFIC_DEFAULTS[question.key as keyof typeof TRAFFIC_DEFAULTS];
      for (;;) {
        const reply = (await ask(`\n${localize(question.text, language)} (${localize(TEXT.numberHint, language)}: ${fallback})\n> `)).trim();
        if (reply === '') break;
        const value = Number(reply.replaceAll(',', ''));
        if (Number.isFinite(value) && value >= 0) {
          traffic[question.key] = value;
          break;
        }
        output.write(`${localize(TEXT.invalidNumber, language)}\n`);
      }
    }
    const file: AnswersFile = { answers: answers as unknown as Answers };
    if (Object.keys(traffic).length > 0) file.traffic = traffic;
    const savePath = (await ask(`\n${localize(TEXT.save, language)}\n> `)).trim();
    output.write('\n');
    if (savePath === '') return { file };
    const ordered = { answers: Object.fromEntries(ANSWER_KEYS.map((key) => [key, answers[key]])), ...(file.traffic ? { traffic: file.traffic } : {}) };
    await writeFile(savePath, stringify(ordered), 'utf8');
    return { file, savePath };
  } finally {
    reader.close();
  }
}
