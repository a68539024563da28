import type { Answers } from './answers-schema.js';
import { l, type Localized } from './localized.js';
import { MODES, type Mode } from './modes.js';

/**
 * Hard constraints: a vetoed mode is eliminated whatever its score. Each rule names the
 * answer that triggers it, so the report can say exactly why.
 */
interface VetoRule {
  applies: (answers: Answers) => boolean;
  modes: readonly Mode[];
  reason: Localized;
}

export const VETO_RULES: readonly VetoRule[] = [
  {
    applies: (answers) => answers.data_egress === 'forbidden',
    modes: ['api'],
    reason: l('Data may not leave the company, and a public API receives every prompt and reply.', '資料不得離開公司，而公有 API 會收到每一筆提示詞與回覆。'),
  },
  {
    applies: (answers) => answers.data_egress === 'forbidden',
    modes: ['private-cloud'],
    reason: l('Data may not leave the company, and private-cloud inference still runs in a cloud provider’s data centre.', '資料不得離開公司，而私有雲推論仍在雲端供應商機房執行。'),
  },
  {
    applies: (answers) => answers.data_egress === 'forbidden',
    modes: ['multi-cloud'],
    reason: l('Data may not leave the company, and multi-cloud runs over public cloud providers.', '資料不得離開公司，而多雲架構建立在公有雲供應商之上。'),
  },
  {
    applies: (answers) => answers.data_egress === 'isolated',
    modes: ['api'],
    reason: l('Data may leave only isolated and audited, and a shared public API is neither network-isolated nor under your audit.', '資料僅能在隔離且可稽核下外流，而共用公有 API 既無網路隔離也不在你的稽核範圍內。'),
  },
  {
    applies: (answers) => answers.offline_required,
    modes: ['api', 'private-cloud', 'hybrid', 'multi-cloud'],
    reason: l('Offline operation is required, and this mode needs an internet or cloud connection.', '需要離線運作，而此模式需要網際網路或雲端連線。'),
  },
];

/** Veto reasons per mode (empty array = not vetoed). */
export function findVetoes(answers: Answers): Record<Mode, Localized[]> {
  const vetoes = Object.fromEntries(MODES.map((mode) => [mode, [] as Localized[]])) as Record<Mode, Localized[]>;
  for (const rule of VETO_RULES) {
    if (!rule.applies(answers)) continue;
    for (const mode of rule.modes) vetoes[mode].push(rule.reason);
  }
  return vetoes;
}

/** Modes whose inference runs inside and therefore need the organisation to operate it. */
const SELF_OPERATED: readonly Mode[] = ['on-prem', 'hybrid'];

/**
 * Blocking risks are not vetoes (the mode may be the only one the data allows) but must be
 * resolved before go-live: no operations capability and inference that must run inside.
 */
export function blockingRisks(answers: Answers, mode: Mode): Localized[] {
  if (answers.ops_capability === 'none' && SELF_OPERATED.includes(mode)) {
    return [
      l(
        'Blocking risk: this mode runs inference inside, but there is no operations capability (monitoring, alerting, backup, versions, security). Staff it or contract a managed on-prem service before go-live.',
        '阻斷風險：此模式需在內部推論，但目前沒有維運能力（監控、告警、備份、版本、資安）。上線前須補足人力或委外代管。',
      ),
    ];
  }
  return [];
}
