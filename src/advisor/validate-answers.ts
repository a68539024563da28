import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { answersFileSchema, SCORE_MAX, SCORE_MIN, type AnswersFile } from './answers-schema.js';
import { CRITERIA, type Weights } from './criteria.js';
import { fill, l, type Localized } from './localized.js';

/** One problem in an answers file, at a dotted path such as `scores.api.latency`. */
export interface InputIssue {
  path: string;
  message: Localized;
}

export type ValidationResult =
  | { ok: true; file: AnswersFile; weights: Weights | undefined }
  | { ok: false; issues: InputIssue[] };

/** Weights must sum to 100 within this tolerance (floating-point input such as 33.33). */
const WEIGHT_SUM_TOLERANCE = 0.01;

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text === '' ? String(part) : `${text}.${String(part)}`;
  }, '');
}

function describeValue(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** Turns one zod issue into one or more issues with our own bilingual messages. */
function fromZodIssue(issue: z.core.$ZodIssue): InputIssue[] {
  const path = formatPath(issue.path);
  const root = path === '' ? '(root)' : path;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: path === '' ? key : `${path}.${key}`,
        message: l('unknown key', '未知的鍵'),
      }));
    case 'invalid_value':
      if (issue.input === undefined) {
        const allowed = issue.values.map(String).join('|');
        return [{ path: root, message: fill(l('is required: one of {allowed}', '為必填：{allowed} 之一'), { allowed }) }];
      }
      return [
        {
          path: root,
          message: fill(l('{got} is not one of {allowed}', '{got} 不在允許值 {allowed} 之中'), {
            got: describeValue(issue.input),
            allowed: issue.values.map(String).join('|'),
          }),
        },
      ];
    case 'invalid_type':
      if (issue.input === undefined) return [{ path: root, message: l('is required', '為必填') }];
      return [
        {
          path: root,
          message: fill(l('must be a {expected}, got {got}', '必須是 {expected}，收到 {got}'), {
            expected: issue.expected,
            got: describeValue(issue.input),
          }),
        },
      ];
    case 'too_small':
    case 'too_big': {
      if (path.startsWith('scores.')) {
        return [
          {
            path: root,
            message: fill(l('{got} is outside {min}–{max}', '{got} 超出 {min}–{max} 範圍'), {
              got: describeValue(issue.input),
              min: SCORE_MIN,
              max: SCORE_MAX,
            }),
          },
        ];
      }
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      return [
        {
          path: root,
          message: fill(
            issue.code === 'too_small' ? l('{got} is below the minimum {bound}', '{got} 低於下限 {bound}') : l('{got} is above the maximum {bound}', '{got} 高於上限 {bound}'),
            { got: describeValue(issue.input), bound: String(bound) },
          ),
        },
      ];
    }
    default:
      return [{ path: root, message: l(issue.message, issue.message) }];
  }
}

/**
 * Checks the weights beyond their types: all eight present, and summing to 100 unless
 * `normalize` is set, in which case they are relative numbers scaled to 100.
 */
function checkWeights(raw: Partial<Weights>, normalize: boolean): { weights?: Weights; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  for (const criterion of CRITERIA) {
    if (raw[criterion] === undefined) {
      issues.push({
        path: `weights.${criterion}`,
        message: l('missing: give all eight criteria, or omit weights to use the defaults', '缺少：請列出全部八項準則，或省略 weights 以使用預設值'),
      });
    }
  }
  if (issues.length > 0) return { issues };
  const complete = raw as Weights;
  const sum = CRITERIA.reduce((total, criterion) => total + complete[criterion], 0);
  if (normalize) {
    if (sum <= 0) return { issues: [{ path: 'weights', message: l('cannot normalise weights that sum to 0', '權重總和為 0，無法正規化') }] };
    const weights = Object.fromEntries(CRITERIA.map((criterion) => [criterion, (complete[criterion] * 100) / sum])) as Weights;
    return { weights, issues };
  }
  if (Math.abs(sum - 100) > WEIGHT_SUM_TOLERANCE) {
    return {
      issues: [
        {
          path: 'weights',
          message: fill(l('weights sum to {sum}, must be 100 (or pass --normalize-weights)', '權重總和為 {sum}，必須為 100（或加上 --normalize-weights）'), {
            sum: Number(sum.toFixed(4)),
          }),
        },
      ],
    };
  }
  return { weights: complete, issues };
}

/** Validates an already-parsed answers object; reports every problem, not just the first. */
export function validateAnswers(data: unknown, options: { normalizeWeights?: boolean } = {}): ValidationResult {
  const parsed = answersFileSchema.safeParse(data, { reportInput: true });
  const issues: InputIssue[] = parsed.success ? [] : parsed.error.issues.flatMap(fromZodIssue);
  // Weights are checked for sum and completeness even when other keys are wrong, so one run names everything.
  let weights: Weights | undefined;
  const rawWeights = (data as { weights?: unknown } | null)?.weights;
  const weightTypeProblem = issues.some((issue) => issue.path.startsWith('weights'));
  if (rawWeights !== undefined && typeof rawWeights === 'object' && rawWeights !== null && !weightTypeProblem) {
    const checked = checkWeights(rawWeights as Partial<Weights>, options.normalizeWeights === true);
    issues.push(...checked.issues);
    weights = checked.weights;
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, file: parsed.data as AnswersFile, weights };
}

/** Parses YAML (or JSON, which is YAML) text and validates it. */
export function validateAnswersText(text: string, options: { normalizeWeights?: boolean } = {}): ValidationResult {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [{ path: '(file)', message: l(`not valid YAML: ${reason}`, `不是有效的 YAML：${reason}`) }] };
  }
  return validateAnswers(data, options);
}
