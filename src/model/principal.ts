/**
 * Who is asking. Every later stage (policy rules, budgets, audit, metrics) reads only this,
 * never the raw credential.
 */
export interface Principal {
  id: string;
  kind: 'key' | 'user';
  team?: string;
  department?: string;
  roles: string[];
  tags: Record<string, string>;
  /** Model aliases this principal may use; undefined means all. */
  allowedModels?: string[];
  /** Deployment tiers this principal may reach; undefined means whatever its roles allow. */
  allowedTiers?: string[];
  /** Who the credential belongs to (a virtual key's owner); for audit. */
  owner?: string;
  /** Budget the metering stage charges (virtual keys only). */
  budgetRef?: string;
  /** Rate-limit policy the limiter applies (virtual keys only). */
  rateLimitRef?: string;
}
