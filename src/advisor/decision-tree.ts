import type { Answers } from './answers-schema.js';
import { fill, l, type Localized } from './localized.js';
import { MODES, SINGLE_ENVIRONMENT_MODES, type Mode } from './modes.js';

/** One step of the three-question tree, as shown in reports and JSON. */
export interface DecisionStep {
  question: Localized;
  answer: string;
  /** The modes this answer points to, as the tree states them. */
  candidates: Mode[];
  /** What happened to the working set at this step. */
  note: Localized;
}

export interface DecisionTreeResult {
  steps: DecisionStep[];
  /** The working set after all three steps: the modes the recommendation is chosen from. */
  candidates: Mode[];
  /** Answers that point in incompatible directions; reported, never silently resolved. */
  conflicts: Localized[];
  /** Modes question 1 permits at all (the hard constraint). */
  permitted: Mode[];
}

/** Question 1: the modes each answer points to, and the modes it permits at all. */
const DATA_STEP: Record<Answers['data_egress'], { candidates: Mode[]; permitted: Mode[] }> = {
  forbidden: { candidates: ['on-prem', 'hybrid'], permitted: ['on-prem', 'hybrid'] },
  isolated: { candidates: ['private-cloud', 'hybrid'], permitted: ['private-cloud', 'on-prem', 'hybrid', 'multi-cloud'] },
  allowed: { candidates: ['api'], permitted: [...MODES] },
};

const LAUNCH_STEP: Record<Answers['time_to_launch'], Mode[]> = {
  weeks: ['api', 'private-cloud'],
  months: ['private-cloud', 'hybrid'],
  longer: ['on-prem', 'multi-cloud'],
};

const RESILIENCE_NEEDED: Mode[] = ['hybrid', 'multi-cloud'];

const QUESTIONS = {
  data: l('May data leave the company (prompts, documents, replies, logs)?', '資料可以離開公司嗎（提示詞、文件、回覆、紀錄）？'),
  launch: l('How fast must it launch?', '需要多快上線？'),
  resilience: l('Is high resilience and substitutability required?', '是否需要高韌性與可替代性？'),
};

const inOrder = (modes: Iterable<Mode>): Mode[] => {
  const set = new Set(modes);
  return MODES.filter((mode) => set.has(mode));
};
const intersect = (a: readonly Mode[], b: readonly Mode[]): Mode[] => inOrder(a.filter((mode) => b.includes(mode)));
const list = (modes: readonly Mode[]): string => modes.join(', ');

/**
 * Applies the tree in order, data first. Combination rule (docs/advisor.md):
 * 1. Question 1 fixes the permitted set P (hard) and the working set W = its candidates.
 * 2. Questions 2 and 3 each propose a set S. If W ∩ S is non-empty, W becomes W ∩ S.
 *    Otherwise the answers conflict: the conflict is recorded and, if P ∩ S is non-empty,
 *    W becomes W ∪ (P ∩ S) so the weighted score arbitrates between both directions;
 *    if P ∩ S is empty (the answer asks for what question 1 forbids), W is unchanged.
 * 3. Resilience `not_needed` is advice ("make one mode solid first"): it narrows W to
 *    single-environment modes when any are in W, and otherwise changes nothing.
 */
export function runDecisionTree(answers: Answers): DecisionTreeResult {
  const steps: DecisionStep[] = [];
  const conflicts: Localized[] = [];
  const data = DATA_STEP[answers.data_egress];
  const permitted = data.permitted;
  let working = [...data.candidates];
  steps.push({
    question: QUESTIONS.data,
    answer: answers.data_egress,
    candidates: data.candidates,
    note: fill(l('Hard constraint: only {permitted} are permitted; start from {working}.', '硬性限制：僅允許 {permitted}；由 {working} 開始。'), {
      permitted: list(permitted),
      working: list(working),
    }),
  });

  const narrow = (question: Localized, answer: string, proposed: Mode[], conflictText: Localized): void => {
    const both = intersect(working, proposed);
    if (both.length > 0) {
      working = both;
      steps.push({ question, answer, candidates: proposed, note: fill(l('Narrowed to {working}.', '收斂為 {working}。'), { working: list(working) }) });
      return;
    }
    const allowedProposed = intersect(permitted, proposed);
    const context = { previous: list(working), proposed: list(proposed), answer };
    if (allowedProposed.length > 0) {
      working = inOrder([...working, ...allowedProposed]);
      conflicts.push(fill(conflictText, context));
      steps.push({
        question,
        answer,
        candidates: proposed,
        note: fill(l('Conflict: kept both directions, {working}; the weighted score decides.', '衝突：保留兩個方向 {working}；由加權分數決定。'), { working: list(working) }),
      });
      return;
    }
    conflicts.push(fill(conflictText, context));
    steps.push({
      question,
      answer,
      candidates: proposed,
      note: fill(l('Conflict: {proposed} would move data out, which question 1 forbids; kept {working}.', '衝突：{proposed} 會讓資料外流，違反第 1 題；維持 {working}。'), {
        proposed: list(proposed),
        working: list(working),
      }),
    });
  };

  narrow(
    QUESTIONS.launch,
    answers.time_to_launch,
    LAUNCH_STEP[answers.time_to_launch],
    l(
      'Data answer points to {previous}, but launching in "{answer}" points to {proposed}.',
      '資料答案指向 {previous}，但上線時程「{answer}」指向 {proposed}。',
    ),
  );

  if (answers.resilience === 'needed') {
    narrow(
      QUESTIONS.resilience,
      answers.resilience,
      RESILIENCE_NEEDED,
      l(
        'Earlier answers point to {previous}, but high resilience points to {proposed} (governance first).',
        '先前答案指向 {previous}，但高韌性需求指向 {proposed}（治理先行）。',
      ),
    );
  } else {
    const single = intersect(working, SINGLE_ENVIRONMENT_MODES);
    const note =
      single.length > 0
        ? fill(l('Make one mode solid first: {working}.', '先把單一模式做穩：{working}。'), { working: list(single) })
        : fill(l('No single-environment mode is left; keep {working} and make it solid first.', '已無單一環境模式；維持 {working} 並先做穩。'), { working: list(working) });
    if (single.length > 0) working = single;
    steps.push({ question: QUESTIONS.resilience, answer: answers.resilience, candidates: [...SINGLE_ENVIRONMENT_MODES], note });
  }

  // "longer (and willing to operate)": the long path assumes an operations team.
  if (answers.time_to_launch === 'longer' && answers.ops_capability === 'none') {
    conflicts.push(
      l(
        'Launch "longer" assumes willingness to operate, but operations capability is "none".',
        '「較長」上線時程假設願意自行維運，但維運能力為「無」。',
      ),
    );
  }
  return { steps, candidates: working, conflicts, permitted };
}
