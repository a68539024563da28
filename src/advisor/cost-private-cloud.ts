import { type ModeCost, projectApiCost } from './cost-api.js';
import type { Prices } from './prices.js';
import type { Traffic } from './traffic.js';

export interface PrivateCloudCostBreakdown {
  network_isolation: number;
  monitoring_logging: number;
  key_management: number;
  inference: number;
  storage_retrieval: number;
}

/**
 * Fixed (network isolation, monitoring/logging, key management) + variable:
 *   inference         = API-equivalent cost of the same traffic × regional multiplier
 *   storage_retrieval = tasks × price per 1,000 tasks / 1,000
 * Managed model endpoints in a private cloud bill like the vendor's list price (reference §1).
 */
export function projectPrivateCloudCost(traffic: Traffic, prices: Prices): ModeCost<PrivateCloudCostBreakdown> {
  const cloud = prices.private_cloud;
  const tasks = traffic.requests_per_day * traffic.days_per_month;
  const breakdown: PrivateCloudCostBreakdown = {
    network_isolation: cloud.network_isolation_monthly,
    monitoring_logging: cloud.monitoring_logging_monthly,
    key_management: cloud.key_management_monthly,
    inference: projectApiCost(traffic, prices.api).monthly_total * cloud.region_multiplier,
    storage_retrieval: (tasks * cloud.storage_retrieval_per_1k_requests) / 1000,
  };
  const total = Object.values(breakdown).reduce((sum, value) => sum + value, 0);
  return { monthly_total: total, breakdown };
}
