/**
 * Deployment tiers, from least to most exposed. Policy, routing, identity and the config schema
 * all compare tiers, so the list lives on the ground floor and nowhere else.
 */
export const TIERS = ['api', 'private-cloud', 'on-prem'] as const;
export type Tier = (typeof TIERS)[number];
