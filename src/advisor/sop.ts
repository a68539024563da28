import { l, type Localized } from './localized.js';

/** One step of the PoC → production procedure and the Switchyard feature that supports it. */
export interface SopStep {
  step: number;
  id: string;
  title: Localized;
  checklist: Localized;
  switchyard_feature: Localized;
}

const step = (number: number, id: string, title: Localized, checklist: Localized, feature: Localized): SopStep => ({
  step: number,
  id,
  title,
  checklist,
  switchyard_feature: feature,
});

/** The nine steps, in order (issue 7). */
export const SOP_STEPS: readonly SopStep[] = [
  step(
    1,
    'scenario',
    l('Pick one high-value, low-risk scenario', '選定一個高價值、低風險的情境'),
    l('Name the users, the question types and the success measure; keep everything else out.', '明確定義使用者、問題類型與成功指標；其他情境先排除。'),
    l('Model aliases and per-key model allow-lists (`models`, `auth.keys[].models`) expose exactly one scenario.', '模型別名與每把金鑰的模型白名單（`models`、`auth.keys[].models`）只開放這個情境。'),
  ),
  step(
    2,
    'data-boundary',
    l('Draw the data boundary', '劃定資料邊界'),
    l('Classify data as usable / usable after masking / must not leave.', '將資料分為可用／遮罩後可用／不得外流。'),
    l('Policy detectors and classification, routing rules (restricted → on-prem), masking for cloud tiers.', '政策偵測器與分級、路由規則（受限 → 地端）、雲端層級的遮罩。'),
  ),
  step(
    3,
    'question-bank',
    l('Build the evaluation question bank', '建立評測題庫'),
    l('Simple lookups, cross-document synthesis, hallucination-prone questions, security tests.', '簡單查詢、跨文件彙整、易幻覺題、資安測試。'),
    l('`switchyard eval` replays the question bank through the gateway against every deployment.', '`switchyard eval` 透過閘道對每個部署重放題庫。'),
  ),
  step(
    4,
    'kpis',
    l('Agree on KPIs', '訂定 KPI'),
    l('Answer quality, latency (p50/p95), cost per task, adoption, incident count.', '回答品質、延遲（p50/p95）、每任務成本、採用率、事件數。'),
    l('Prometheus metrics (`/metrics`), per-key metering and the audit store provide the numbers.', 'Prometheus 指標（`/metrics`）、每把金鑰計量與稽核儲存提供數據。'),
  ),
  step(
    5,
    'identity-audit',
    l('Minimum identity and audit', '最低限度的身分與稽核'),
    l('Every call tied to a person or service; every call logged and tamper-evident.', '每次呼叫都對應到人或服務；每次呼叫都有防竄改紀錄。'),
    l('API keys and OIDC, role-based access, hash-chained audit log with `audit verify`.', 'API 金鑰與 OIDC、角色權限、雜湊鏈稽核紀錄與 `audit verify`。'),
  ),
  step(
    6,
    'load-cost-test',
    l('Load and cost test', '負載與成本測試'),
    l('Normal load, peak 5–10×, and faults (timeouts, 429s, outages).', '常態負載、5–10 倍尖峰、故障（逾時、429、中斷）。'),
    l('`switchyard loadtest`, the mock provider’s fault injection, price table and budgets; rerun `switchyard advise` with measured traffic.', '`switchyard loadtest`、模擬供應商的故障注入、價格表與預算；以實測流量重跑 `switchyard advise`。'),
  ),
  step(
    7,
    'gray-release',
    l('Gray release', '灰度發布'),
    l('Start with a small group; widen by percentage with a rollback trigger.', '先開放小群組；依比例擴大並設定回滾條件。'),
    l('Weighted targets and canary routing per model alias; circuit breakers and failover.', '模型別名的權重目標與金絲雀路由；斷路器與容錯切換。'),
  ),
  step(
    8,
    'version-governance',
    l('Version governance', '版本治理'),
    l('Model, prompt, knowledge base and tool rules are versioned and can each be rolled back.', '模型、提示詞、知識庫與工具規則皆有版本且可各自回滾。'),
    l('Aliases pin model versions in a config file kept in git; `switchyard config check` before every change.', '別名在納入 git 的設定檔中固定模型版本；每次變更前執行 `switchyard config check`。'),
  ),
  step(
    9,
    'production',
    l('Run in production', '正式營運'),
    l('Weekly monitoring and cost review; monthly question-bank update; quarterly permission review.', '每週監控與成本檢討；每月更新題庫；每季權限檢視。'),
    l('Grafana dashboards, budget ledger and alerts, audit export for the permission review.', 'Grafana 儀表板、預算帳與告警、稽核匯出以供權限檢視。'),
  ),
];
