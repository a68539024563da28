import type { AdminScope } from './identity-config-schema.js';
import type { DataClass } from '../model/data-classes.js';

/** The 403 codes the access policy can give. */
export type AccessDenialCode =
  | 'access_denied_model'
  | 'access_denied_tier'
  | 'access_denied_data_class'
  | 'access_denied_tool'
  | 'access_denied_admin_scope';

/** What was asked, in the terms the policy decides on. */
export interface AccessRequest {
  model?: string;
  tier?: string;
  dataClass?: DataClass;
  tools?: string[];
  adminScope?: AdminScope;
}

/**
 * One access decision, allowed or not, in a shape audit can store as is: who, with which roles,
 * asked for what, and which roles granted it (or what was missing).
 */
export type AccessDecision =
  | {
      allowed: true;
      principalId: string;
      roles: string[];
      request: AccessRequest;
      /** Roles that granted each part of the request. */
      grantedBy: string[];
    }
  | {
      allowed: false;
      principalId: string;
      roles: string[];
      request: AccessRequest;
      reason: AccessDenialCode;
      /** Client-facing explanation; names the refused item, never other principals' grants. */
      message: string;
    };
