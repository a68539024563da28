import { GatewayError } from '../errors/gateway-error.js';
import type { PolicyDecision } from './policy-decision.js';

/** A deny rule matched, or no target of the alias may receive this class of data. */
export class PolicyDeniedError extends GatewayError {
  readonly rule: string;
  readonly dataClass: string;

  constructor(message: string, decision: Pick<PolicyDecision, 'rule' | 'dataClass'>) {
    super('policy_denied', message);
    this.name = 'PolicyDeniedError';
    this.rule = decision.rule;
    this.dataClass = decision.dataClass;
  }
}

/** The egress guard refused a send. Never retryable: another attempt must pass the guard too. */
export class EgressDeniedError extends GatewayError {
  readonly deployment: string;
  readonly tier: string;
  readonly dataClass: string;

  constructor(deployment: string, tier: string, reason: string, dataClass: string) {
    // The message names the class and tier, not the entities or the text: it reaches the client.
    super('egress_denied', `Data of class '${dataClass}' may not be sent to deployment '${deployment}' (tier ${tier}): ${reason}.`);
    this.name = 'EgressDeniedError';
    this.deployment = deployment;
    this.tier = tier;
    this.dataClass = dataClass;
  }
}
