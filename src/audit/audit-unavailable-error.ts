import { GatewayError } from '../errors/gateway-error.js';

/** The audit log cannot take the record, so the request must not go ahead (503). */
export class AuditUnavailableError extends GatewayError {
  constructor(reason: string) {
    super('audit_unavailable', `The audit log is unavailable (${reason}); the request was refused.`, { retryAfterSeconds: 5 });
    this.name = 'AuditUnavailableError';
  }
}
