import { GUARD_CATEGORIES } from './guard-categories.js';
import type { GuardDecision } from './guard-decision.js';

/** The guard part of `policy explain`: verdict, score and action per category, matched signals. */
export function renderGuard(decision: GuardDecision, lang: 'en' | 'zh-TW'): string {
  const zh = lang === 'zh-TW';
  const lines = [zh ? `防護判定：${decision.verdict}（動作 ${decision.action}）` : `Guard: ${decision.verdict} (action ${decision.action})`];
  for (const category of GUARD_CATEGORIES) {
    const action = decision.actions[category];
    lines.push(`  ${category.padEnd(22)} ${decision.scores[category].toFixed(2)}${action ? `  → ${action}` : ''}`);
  }
  lines.push(zh ? `  訊號：${decision.signals.join(', ') || '無'}` : `  signals: ${decision.signals.join(', ') || 'none'}`);
  return lines.join('\n');
}
