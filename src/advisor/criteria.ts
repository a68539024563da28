import { l, type Localized } from './localized.js';

/** The eight weighted criteria. The ids are a contract (answers files, JSON output). */
export const CRITERIA = [
  'data_compliance',
  'latency',
  'availability',
  'cost',
  'control',
  'integration',
  'operations',
  'future',
] as const;
export type Criterion = (typeof CRITERIA)[number];

export type Weights = Record<Criterion, number>;

export interface CriterionProfile {
  name: Localized;
  covers: Localized;
}

export const CRITERION_PROFILES: Record<Criterion, CriterionProfile> = {
  data_compliance: {
    name: l('Data & compliance', '資料與法遵'),
    covers: l('Sensitivity, may it leave, retention, audit.', '敏感度、可否外流、保存期限、稽核。'),
  },
  latency: {
    name: l('Latency', '延遲'),
    covers: l('Interactive vs batch, queueing at peak.', '互動或批次、尖峰排隊。'),
  },
  availability: {
    name: l('Availability', '可用性'),
    covers: l('SLA, failover, single points of failure.', 'SLA、容錯切換、單點故障。'),
  },
  cost: {
    name: l('Cost', '成本'),
    covers: l('Fixed vs variable, peak cost, predictability.', '固定或變動、尖峰成本、可預測性。'),
  },
  control: {
    name: l('Control', '掌控度'),
    covers: l('Model versions, prompt governance, audit trail, rollback.', '模型版本、提示詞治理、稽核軌跡、回滾。'),
  },
  integration: {
    name: l('Integration', '整合'),
    covers: l('SSO, intranet systems, databases, ticketing, knowledge bases, permission levels.', 'SSO、內部系統、資料庫、工單、知識庫、權限層級。'),
  },
  operations: {
    name: l('Operations', '維運'),
    covers: l('Monitoring, alerting, security maintenance, capacity planning (5 = lightest burden).', '監控、告警、安全維護、容量規劃（5 = 負擔最輕）。'),
  },
  future: {
    name: l('Future-proofing', '未來彈性'),
    covers: l('Ease of switching model, vendor, region.', '更換模型、供應商、區域的難易度。'),
  },
};

/**
 * Base weights before the answers adjust them (see weights.ts). Data first, then the
 * two criteria that most often sink a deployment after launch: cost and operations.
 */
export const BASE_WEIGHTS: Weights = {
  data_compliance: 20,
  latency: 10,
  availability: 10,
  cost: 15,
  control: 10,
  integration: 10,
  operations: 15,
  future: 10,
};
