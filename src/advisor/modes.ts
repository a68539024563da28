import { l, type Localized } from './localized.js';

/** The five deployment modes. The ids are a contract (JSON output, answers files, docs). */
export const MODES = ['api', 'private-cloud', 'on-prem', 'hybrid', 'multi-cloud'] as const;
export type Mode = (typeof MODES)[number];

/** What each mode means, recorded the same way for all five (issue 7, "Modes"). */
export interface ModeProfile {
  name: Localized;
  summary: Localized;
  dataPath: Localized;
  inferenceLocation: Localized;
  responsibilityBoundary: Localized;
  control: Localized;
  payment: Localized;
  timeToLaunch: Localized;
  risks: Localized;
}

export const MODE_PROFILES: Record<Mode, ModeProfile> = {
  api: {
    name: l('Public API', '公有 API'),
    summary: l('Prompts go to a public model API; fastest to launch.', '提示詞直接送往公有模型 API；上線最快。'),
    dataPath: l('Prompts, documents and replies cross the internet to the vendor.', '提示詞、文件與回覆經網際網路送到供應商。'),
    inferenceLocation: l("The vendor's shared infrastructure.", '供應商的共用基礎設施。'),
    responsibilityBoundary: l('Vendor runs the model; you own keys, usage, prompts and logs.', '供應商負責模型運行；你負責金鑰、用量、提示詞與紀錄。'),
    control: l('API keys, vendor console, the gateway in front of it.', 'API 金鑰、供應商主控台，以及前置的閘道。'),
    payment: l('Per token, purely variable.', '按 token 計費，完全變動成本。'),
    timeToLaunch: l('Days to 2–4 weeks.', '數天到 2–4 週。'),
    risks: l('Data governance, permissions and logging, quality drift when the vendor changes models, cost blow-ups.', '資料治理、權限與紀錄、供應商更換模型造成的品質漂移、成本失控。'),
  },
  'private-cloud': {
    name: l('Private cloud', '私有雲'),
    summary: l('A dedicated, network-isolated cloud environment (VPC/VNet, private endpoints) with unified permissions and audit.', '專屬且網路隔離的雲端環境（VPC/VNet、私有端點），權限與稽核統一管理。'),
    dataPath: l('Data leaves the company only over private, audited links into your own cloud tenancy.', '資料僅經私有且可稽核的連線進入自有雲端租戶。'),
    inferenceLocation: l('Managed model endpoints inside your cloud tenancy and region.', '雲端租戶與指定區域內的託管模型端點。'),
    responsibilityBoundary: l('Cloud vendor runs hardware and model service; you run network isolation, identity, keys and audit.', '雲端供應商負責硬體與模型服務；你負責網路隔離、身分、金鑰與稽核。'),
    control: l('Cloud IAM, private endpoints, key management, central audit logs.', '雲端 IAM、私有端點、金鑰管理、集中稽核紀錄。'),
    payment: l('Fixed (isolation, monitoring, keys) plus variable (inference, storage/retrieval).', '固定成本（隔離、監控、金鑰）加變動成本（推論、儲存與檢索）。'),
    timeToLaunch: l('2–4 weeks simplified; 1–3 months with full governance.', '簡化版 2–4 週；完整治理 1–3 個月。'),
    risks: l('Fixed cost even when idle; regional model availability; cloud lock-in.', '閒置時仍有固定成本；各區域模型供應不一；雲端鎖定。'),
  },
  'on-prem': {
    name: l('On-premises', '地端'),
    summary: l('Inference in your own data centre; data never leaves.', '在自有機房推論；資料不離開公司。'),
    dataPath: l('Nothing leaves the company network.', '所有資料都留在公司網路內。'),
    inferenceLocation: l('Your own GPU servers.', '自有 GPU 伺服器。'),
    responsibilityBoundary: l('You carry everything: monitoring, security patching, capacity planning, version governance.', '全部由你負責：監控、安全修補、容量規劃、版本治理。'),
    control: l('Full: model weights, versions, network, logs.', '完全掌控：模型權重、版本、網路、紀錄。'),
    payment: l('Capital expense amortised over years, plus power, staff and licences.', '資本支出分年攤提，加上電力、人力與授權。'),
    timeToLaunch: l('3–6 months or more (procurement, racking, hardening).', '3–6 個月以上（採購、上架、強化）。'),
    risks: l('Under-used hardware, operations burden, slower access to new models.', '硬體閒置、維運負擔、較慢取得新模型。'),
  },
  hybrid: {
    name: l('Hybrid', '混合'),
    summary: l('Sensitive data and core systems inside, elasticity in the cloud.', '敏感資料與核心系統在內部，彈性需求放雲端。'),
    dataPath: l('A data-routing table decides per request: restricted data stays inside, the rest may go to the cloud.', '以資料路由表逐筆決定：受限資料留在內部，其餘可送雲端。'),
    inferenceLocation: l('Both: on-prem for restricted data, cloud for the rest and for bursts.', '兩者皆有：受限資料在地端，其餘與尖峰在雲端。'),
    responsibilityBoundary: l('You run the on-prem side and the routing; the cloud vendor runs the cloud side.', '你負責地端與路由；雲端供應商負責雲端部分。'),
    control: l('The data-routing table plus consistent identity and audit across both sides.', '資料路由表，加上兩側一致的身分與稽核。'),
    payment: l('On-prem fixed cost plus cloud variable cost, split by traffic.', '地端固定成本加雲端變動成本，依流量分攤。'),
    timeToLaunch: l('1–3 months (routing table, identity, audit on both sides).', '1–3 個月（路由表、兩側身分與稽核）。'),
    risks: l('Routing mistakes leak data; two stacks to operate; identity/audit drift between sides.', '路由錯誤會外洩資料；要維運兩套環境；兩側身分與稽核不一致。'),
  },
  'multi-cloud': {
    name: l('Multi-cloud', '多雲'),
    summary: l('Switchable providers for lock-in avoidance, resilience and cross-region compliance.', '可切換的多家供應商，用以避免鎖定、提高韌性並符合跨區法規。'),
    dataPath: l('Data goes to two or more cloud providers, each over its own isolated link.', '資料送往兩家以上雲端供應商，各自經隔離連線。'),
    inferenceLocation: l('Several providers and regions.', '多家供應商與多個區域。'),
    responsibilityBoundary: l('Providers run their services; you run unified governance across them.', '供應商負責各自服務；你負責跨供應商的統一治理。'),
    control: l('Unified SSO/IAM, keys/secrets, audit logs, monitoring, cost tags, model/prompt governance.', '統一的 SSO/IAM、金鑰與機密、稽核紀錄、監控、成本標籤、模型與提示詞治理。'),
    payment: l('Each provider billed separately; fixed governance cost per provider.', '各供應商分別計費；每家都有固定治理成本。'),
    timeToLaunch: l('3 months or more (governance first).', '3 個月以上（治理先行）。'),
    risks: l('Governance sprawl, lowest-common-denominator features, duplicated fixed costs.', '治理擴散、只能用共同最低功能、固定成本重複。'),
  },
};

/** Modes that run in a single environment ("make one mode solid first"). */
export const SINGLE_ENVIRONMENT_MODES: readonly Mode[] = ['api', 'private-cloud', 'on-prem'];
