import type { Criterion } from './criteria.js';
import { l, type Localized } from './localized.js';
import type { Mode } from './modes.js';

/** A default score (1–5, higher is better for the organisation) and why it was chosen. */
export interface DefaultScore {
  score: number;
  rationale: Localized;
}

export type ScoreProfile = Record<Criterion, DefaultScore>;

const s = (score: number, en: string, zhTW: string): DefaultScore => ({ score, rationale: l(en, zhTW) });

/** The documented default profile per mode; every value can be overridden in `scores`. */
export const DEFAULT_SCORES: Record<Mode, ScoreProfile> = {
  api: {
    data_compliance: s(2, 'Prompts and replies leave for a shared vendor; retention and audit are contractual only.', '提示詞與回覆送往共用供應商；保存與稽核只能靠合約。'),
    latency: s(3, 'Good median, but internet round-trips and shared queues at peak.', '中位數良好，但有網路往返與尖峰共用排隊。'),
    availability: s(3, 'Vendor SLA, yet a single vendor and region is a single point of failure.', '有供應商 SLA，但單一供應商與區域即是單點故障。'),
    cost: s(4, 'No fixed cost and pay per use, but spend is hard to predict at peak.', '無固定成本、用多少付多少，但尖峰支出難預測。'),
    control: s(2, 'The vendor changes model versions on its own schedule; limited rollback.', '供應商自行排程更換模型版本；回滾有限。'),
    integration: s(2, 'Intranet systems and SSO must be bridged over the internet.', '內部系統與 SSO 需跨網際網路橋接。'),
    operations: s(5, 'Nothing to operate beyond keys and the gateway.', '除金鑰與閘道外無需維運。'),
    future: s(4, 'Behind an OpenAI-compatible gateway, switching model or vendor is a config change; vendor-tuned prompts still need retesting.', '在 OpenAI 相容閘道後方，換模型或供應商只需改設定；針對供應商調校的提示詞仍需重測。'),
  },
  'private-cloud': {
    data_compliance: s(4, 'Isolated network, customer-managed keys and central audit, but data does leave the building.', '網路隔離、客戶自管金鑰與集中稽核，但資料仍離開公司。'),
    latency: s(4, 'Private endpoints in a chosen region; capacity can be reserved.', '指定區域的私有端點；可預留容量。'),
    availability: s(3, 'Cloud SLA with zones, but still one provider and usually one region, like the API.', '有雲端 SLA 與可用區，但與 API 一樣仍是單一供應商、通常單一區域。'),
    cost: s(3, 'Fixed isolation and monitoring cost plus variable inference.', '固定的隔離與監控成本，加上變動的推論成本。'),
    control: s(4, 'Pinned model deployments, IAM and audit in your tenancy.', '在自有租戶內固定模型部署、IAM 與稽核。'),
    integration: s(4, 'VNet peering to intranet systems and cloud SSO.', '以 VNet 對接內部系統與雲端 SSO。'),
    operations: s(3, 'Vendor runs the model service, but you run private endpoints, network isolation, keys, identity and audit.', '供應商運行模型服務，但私有端點、網路隔離、金鑰、身分與稽核都由你負責。'),
    future: s(2, 'Bound to one cloud’s model catalogue, regions and networking: the lock-in this mode is known for.', '受限於單一雲端的模型目錄、區域與網路：此模式典型的鎖定風險。'),
  },
  'on-prem': {
    data_compliance: s(5, 'Data never leaves the company network.', '資料完全不離開公司網路。'),
    latency: s(4, 'No internet round-trip, but capacity is fixed and queues form at peak.', '沒有網路往返，但容量固定、尖峰會排隊。'),
    availability: s(2, 'One data centre and your own hardware: failover must be built.', '單一機房與自有硬體：容錯需自建。'),
    cost: s(2, 'Large fixed cost; it only pays off at high, steady utilisation.', '固定成本高；唯有高且穩定的使用率才划算。'),
    control: s(5, 'You hold the weights, versions and every log.', '權重、版本與所有紀錄皆在手上。'),
    integration: s(5, 'Sits next to intranet systems, databases and directory.', '緊鄰內部系統、資料庫與目錄服務。'),
    operations: s(1, 'You carry monitoring, patching, capacity planning and version governance.', '監控、修補、容量規劃與版本治理全部自負。'),
    future: s(3, 'Open-weight models are portable; hardware is a multi-year commitment.', '開放權重模型可攜；硬體是多年承諾。'),
  },
  hybrid: {
    data_compliance: s(4, 'Restricted data stays inside if the routing table is right.', '路由表正確時，受限資料留在內部。'),
    latency: s(4, 'Local inference for core systems, cloud capacity for bursts.', '核心系統本地推論，尖峰用雲端容量。'),
    availability: s(4, 'Two environments can back each other up for non-restricted traffic.', '兩個環境可互為備援（限非受限流量）。'),
    cost: s(3, 'Steady load on owned hardware, bursts paid per use.', '穩定負載用自有硬體，尖峰按量付費。'),
    control: s(4, 'Full control inside; governance must be mirrored in the cloud.', '內部完全掌控；雲端需同步治理。'),
    integration: s(4, 'Inside systems connect locally; identity must span both sides.', '內部系統本地連接；身分需橫跨兩側。'),
    operations: s(2, 'Two stacks plus a routing table to operate.', '要維運兩套環境與一張路由表。'),
    future: s(4, 'Either side can change models or vendors independently.', '任一側可獨立更換模型或供應商。'),
  },
  'multi-cloud': {
    data_compliance: s(3, 'Data goes to several providers; each needs its own isolation and contract.', '資料送往多家供應商；每家都需隔離與合約。'),
    latency: s(3, 'Region choice helps, but cross-provider routing adds hops.', '可選區域有幫助，但跨供應商路由增加跳數。'),
    availability: s(5, 'Provider or region outages fail over to another provider.', '供應商或區域故障時可切換至他家。'),
    cost: s(2, 'Fixed governance cost per provider; volume discounts are split.', '每家供應商都有固定治理成本；量價折扣被分散。'),
    control: s(3, 'Versions differ per provider; unified governance is required.', '各家版本不同；需統一治理。'),
    integration: s(3, 'SSO/IAM and audit must be unified across providers.', 'SSO/IAM 與稽核須跨供應商整合。'),
    operations: s(2, 'Governance across providers: keys, logs, monitoring, cost tags.', '跨供應商治理：金鑰、紀錄、監控、成本標籤。'),
    future: s(5, 'Built to switch model, vendor and region.', '為更換模型、供應商與區域而設計。'),
  },
};
