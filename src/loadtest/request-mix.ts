import type { Scenario } from './scenario-schema.js';

/** One task: what a user action costs in model calls. */
export type TaskKind = 'single' | 'chain' | 'tool';

export interface TaskPlan {
  kind: TaskKind;
  stream: boolean;
  language: 'en' | 'zh-TW';
  /** The first call's user message: context passage + question. */
  firstMessage: string;
  /** Share of the first message that is context (for splitting measured input tokens). */
  contextShare: number;
  steps: Scenario['mix']['chain_steps'];
}

const EN_WORDS =
  'account balance transfer policy customer branch report quarter audit invoice payment schedule clinic patient ward discharge referral summary risk control ledger reconcile approval request review contract renewal'.split(' ');
// Common Traditional Chinese characters; one character is one token for the mock and ~1 for real tokenizers.
const ZH_CHARS = '帳戶餘額轉帳政策客戶分行報告季度稽核發票付款排程診所病患病房出院轉診摘要風險控制總帳核對核准申請審查合約續約'.split('');

const QUESTIONS = {
  en: 'Question: what should the customer do next, and which policy applies?',
  'zh-TW': '問題：客戶下一步該怎麼做？適用哪一條規定？',
};

export const STEP_INSTRUCTIONS: Record<Scenario['mix']['chain_steps'][number], { en: string; 'zh-TW': string }> = {
  summarise: { en: 'Summarise the following passage in three sentences.', 'zh-TW': '請用三句話摘要以下段落。' },
  classify: { en: 'Classify this summary as billing, clinical, compliance or other.', 'zh-TW': '請將此摘要分類為帳務、臨床、法遵或其他。' },
  answer: { en: 'Using the summary and its class, answer the original question.', 'zh-TW': '根據摘要與分類，回答原本的問題。' },
};

export const TOOL = {
  type: 'function',
  function: {
    name: 'lookup_account',
    description: 'Look up an account by its id',
    parameters: { type: 'object', properties: { account_id: { type: 'string' } }, required: ['account_id'] },
  },
} as const;

/** `words` words of filler text (characters for zh-TW), deterministic for a given random source. */
export function fillerText(words: number, language: 'en' | 'zh-TW', random: () => number): string {
  if (words <= 0) return '';
  if (language === 'zh-TW') {
    let text = '';
    for (let index = 0; index < words; index += 1) text += ZH_CHARS[Math.floor(random() * ZH_CHARS.length)] ?? '帳';
    return text;
  }
  const out: string[] = [];
  for (let index = 0; index < words; index += 1) out.push(EN_WORDS[Math.floor(random() * EN_WORDS.length)] ?? 'account');
  return out.join(' ');
}

function pickWeighted<T extends { weight: number }>(items: readonly T[], random: () => number): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let draw = random() * total;
  for (const item of items) {
    draw -= item.weight;
    if (draw < 0) return item;
  }
  return items[items.length - 1] as T;
}

/**
 * Draws one task from the scenario's mix. Chains and tool calls are exclusive (a draw below
 * chain_share is a chain, the next tool_share band a tool task), so the shares add up as written.
 */
export function drawTask(mix: Scenario['mix'], random: () => number): TaskPlan {
  const kindDraw = random();
  const kind: TaskKind = kindDraw < mix.chain_share ? 'chain' : kindDraw < mix.chain_share + mix.tool_share ? 'tool' : 'single';
  const language = random() < mix.zh_share ? 'zh-TW' : 'en';
  const stream = random() < mix.stream_share;
  const { words } = pickWeighted(mix.prompt_words, random);
  const context = fillerText(mix.context_words, language, random);
  const body = fillerText(words, language, random);
  const toolMarker = kind === 'tool' ? ' call:lookup_account' : '';
  const question = `${body}\n${QUESTIONS[language]}${toolMarker}`;
  const firstMessage = context === '' ? question : `${context}\n\n${question}`;
  const contextWords = mix.context_words;
  return {
    kind,
    stream,
    language,
    firstMessage,
    contextShare: contextWords / (contextWords + words + 8),
    steps: mix.chain_steps,
  };
}
