import { z } from 'zod';
import type { Tier } from '../model/tiers.js';
import type { Principal } from '../model/principal.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { PolicyRuntime } from './apply-policy.js';
import { classifyRequest } from './classify.js';
import { createTextMasker } from './masking/pseudonymize.js';
import { placeholderLikeIn } from './masking/placeholder-vault.js';
import type { ClassReason, LoggedRule, MaskPlan, SkippedRule } from './policy-decision.js';
import { decidePolicy, policyDisabledDecision } from './routing-rules.js';

/**
 * `switchyard policy explain` and `POST /v1/policy/explain`: what the policy would do with a text,
 * step by step. The caller supplied the text, so the explanation shows detected values; it is a
 * diagnostic for the caller, never something to log.
 */

export interface ExplainInput {
  text: string;
  principal?: Pick<Principal, 'id' | 'department' | 'roles'> & { tags?: Record<string, string> };
  /** Model alias, for rules that match on `model`. */
  model?: string;
  tags?: Record<string, string>;
  /** A requested class, as the `x-switchyard-data-class` header would give it (raise only). */
  dataClass?: string;
}

/**
 * Body of `POST /v1/policy/explain` (and the CLI's options): snake_case like the config.
 * A principal given here is hypothetical — "what if finance asked this" — so the endpoint must be
 * admin-scoped; without one, the route should pass the caller's own principal.
 */
export const explainRequestSchema = z
  .object({
    text: z.string().min(1),
    model: z.string().min(1).optional(),
    principal: z
      .object({
        id: z.string().min(1).default('explain'),
        department: z.string().min(1).optional(),
        roles: z.array(z.string().min(1)).default([]),
        tags: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
    tags: z.record(z.string(), z.string()).optional(),
    /** As the `x-switchyard-data-class` header would give it: raises only. */
    data_class: z.string().min(1).optional(),
    lang: z.enum(['en', 'zh-TW']).default('en'),
  })
  .strict();
export type ExplainRequestBody = z.infer<typeof explainRequestSchema>;

/** Maps a parsed body to `explainPolicy` input (dropping absent fields, as strict optional types want). */
export function explainInputFrom(body: ExplainRequestBody): ExplainInput {
  const input: ExplainInput = { text: body.text };
  if (body.model !== undefined) input.model = body.model;
  if (body.tags !== undefined) input.tags = body.tags;
  if (body.data_class !== undefined) input.dataClass = body.data_class;
  if (body.principal !== undefined) {
    const { id, roles, department, tags } = body.principal;
    input.principal = { id, roles, ...(department !== undefined ? { department } : {}), ...(tags !== undefined ? { tags } : {}) };
  }
  return input;
}

export interface PolicyExplanation {
  entities: Array<{ type: string; start: number; end: number; score: number; text: string }>;
  dataClass: string;
  classReasons: ClassReason[];
  scanFailed: boolean;
  rule: { name: string; reason: string; action: 'allow' | 'deny'; denyMessage?: string };
  skipped: SkippedRule[];
  logged: LoggedRule[];
  allowedTiers: Tier[];
  allowedDeployments?: string[];
  mask: MaskPlan;
  /** The text as it would leave the gateway; null when the request is denied (nothing leaves). */
  maskedText: string | null;
}

export async function explainPolicy(runtime: PolicyRuntime, input: ExplainInput): Promise<PolicyExplanation> {
  const { policy } = runtime;
  const request: ChatRequest = { model: input.model ?? '', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: input.text }] }] };
  const classification = policy.enabled
    ? await classifyRequest(policy, runtime.scanner, {
        request,
        ...(input.principal ? { principal: input.principal } : {}),
        ...(input.dataClass !== undefined ? { headers: { 'x-switchyard-data-class': input.dataClass } } : {}),
      })
    : undefined;
  const tags = input.tags ?? input.principal?.tags;
  const decision = classification
    ? decidePolicy(policy, {
        dataClass: classification.dataClass,
        classReasons: classification.reasons,
        entities: classification.entities,
        scanFailed: classification.scanFailed,
        ...(input.principal ? { principal: input.principal } : {}),
        ...(input.model !== undefined ? { model: input.model } : {}),
        ...(tags ? { tags } : {}),
      })
    : policyDisabledDecision();
  const spans = classification?.segments[0]?.entities ?? [];
  let maskedText: string | null = null;
  if (decision.action === 'allow') {
    const masker = createTextMasker(decision.mask, { reserved: placeholderLikeIn(input.text), ...(runtime.hashKey !== undefined ? { hashKey: runtime.hashKey } : {}) });
    maskedText = masker.maskText(input.text, spans);
  }
  const explanation: PolicyExplanation = {
    entities: spans.map((span) => ({ type: span.type, start: span.start, end: span.end, score: span.score, text: input.text.slice(span.start, span.end) })),
    dataClass: decision.dataClass,
    classReasons: decision.classReasons,
    scanFailed: decision.scanFailed,
    rule: { name: decision.rule, reason: decision.reason, action: decision.action, ...(decision.denyMessage !== undefined ? { denyMessage: decision.denyMessage } : {}) },
    skipped: decision.skipped,
    logged: decision.logged,
    allowedTiers: decision.allowedTiers,
    mask: decision.mask,
    maskedText,
  };
  if (decision.allowedDeployments) explanation.allowedDeployments = decision.allowedDeployments;
  return explanation;
}

export type ExplainLanguage = 'en' | 'zh-TW';

const LABELS = {
  en: {
    entities: 'Detected entities',
    none: '(none)',
    dataClass: 'Data class',
    because: 'because',
    scanFailed: 'Scanning failed: treated as the highest class (fail closed).',
    skipped: 'Rules that did not match',
    logged: 'Logged (log_only) rules that matched',
    matched: 'Matched rule',
    action: { allow: 'allow', deny: 'deny' },
    tiers: 'Allowed tiers',
    deployments: 'Allowed deployments',
    mask: 'Masked entity types',
    mode: 'mode',
    leaves: 'Text that would leave the gateway',
    nothingLeaves: 'Nothing leaves the gateway: the request is denied.',
  },
  'zh-TW': {
    entities: '偵測到的實體',
    none: '（無）',
    dataClass: '資料等級',
    because: '原因',
    scanFailed: '掃描失敗：視為最高等級（失效關閉）。',
    skipped: '未符合的規則',
    logged: '符合的僅記錄（log_only）規則',
    matched: '符合的規則',
    action: { allow: '允許', deny: '拒絕' },
    tiers: '允許的部署層級',
    deployments: '允許的部署',
    mask: '遮罩的實體類型',
    mode: '模式',
    leaves: '將離開閘道的文字',
    nothingLeaves: '沒有任何內容離開閘道：請求被拒絕。',
  },
} as const;

/** The explanation as text for people, in English or Traditional Chinese. */
export function renderExplanation(explanation: PolicyExplanation, lang: ExplainLanguage = 'en'): string {
  const label = LABELS[lang];
  const lines: string[] = [];
  lines.push(`${label.entities}:`);
  if (explanation.entities.length === 0) lines.push(`  ${label.none}`);
  for (const entity of explanation.entities) lines.push(`  ${entity.type} [${entity.start}, ${entity.end}) ${entity.score} “${entity.text}”`);
  const reasons = explanation.classReasons.filter((reason) => reason.class === explanation.dataClass).map((reason) => reason.detail);
  lines.push(`${label.dataClass}: ${explanation.dataClass}${reasons.length > 0 ? ` (${label.because}: ${reasons.join('; ')})` : ''}`);
  if (explanation.scanFailed) lines.push(label.scanFailed);
  if (explanation.skipped.length > 0) {
    lines.push(`${label.skipped}:`);
    for (const skipped of explanation.skipped) lines.push(`  ${skipped.rule}: ${skipped.why}`);
  }
  if (explanation.logged.length > 0) {
    lines.push(`${label.logged}:`);
    for (const logged of explanation.logged) lines.push(`  ${logged.rule}: ${logged.reason}`);
  }
  const rule = explanation.rule;
  lines.push(`${label.matched}: ${rule.name} → ${label.action[rule.action]} (${rule.reason})${rule.denyMessage ? ` “${rule.denyMessage}”` : ''}`);
  if (rule.action === 'allow') {
    lines.push(`${label.tiers}: ${explanation.allowedTiers.join(', ')}`);
    if (explanation.allowedDeployments) lines.push(`${label.deployments}: ${explanation.allowedDeployments.join(', ')}`);
    if (explanation.mask.types.length > 0) lines.push(`${label.mask}: ${explanation.mask.types.join(', ')} (${label.mode}: ${explanation.mask.mode})`);
    lines.push(`${label.leaves}:`, `  ${explanation.maskedText ?? ''}`);
  } else {
    lines.push(label.nothingLeaves);
  }
  return `${lines.join('\n')}\n`;
}
