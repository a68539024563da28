import { z } from 'zod';

/**
 * Names the config gives to deployments, rules, budgets and the like: they appear in metrics
 * labels, audit records and URLs, so they start with a letter or digit and use no spaces.
 */
export const IDENTIFIER_PATTERN = /^[a-z0-9][a-z0-9._-]*$/i;

export const identifierSchema = z.string().regex(IDENTIFIER_PATTERN, 'use letters, digits, ".", "_" or "-"');

/** Identity names (issuers, roles) may also hold ":" (`team:payments`), as OIDC group names do. */
export const scopedIdentifierSchema = z.string().regex(/^[a-z0-9][a-z0-9._:-]*$/i, 'use letters, digits, ".", "_", ":" or "-"');
