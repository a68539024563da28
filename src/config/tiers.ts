/**
 * Deployment tiers, from least to most exposed. A leaf module: policy and routing import it
 * without importing the whole config schema (which in turn composes their sub-schemas).
 */
export const TIERS = ['api', 'private-cloud', 'on-prem'] as const;
export type Tier = (typeof TIERS)[number];
