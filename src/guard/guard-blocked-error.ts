import { GatewayError } from '../errors/gateway-error.js';
import type { GuardCategory } from './guard-categories.js';

/** 403 `guard_blocked`; the message and `param` name the category (never the matched text). */
export class GuardBlockedError extends GatewayError {
  readonly category: GuardCategory;

  constructor(category: GuardCategory, where: 'request' | 'response', score?: number) {
    const scored = score === undefined ? '' : ` (score ${score.toFixed(2)})`;
    super(
      'guard_blocked',
      where === 'request'
        ? `The guard blocked this request: ${category}${scored}. Rephrase the request; if it is legitimate, ask an administrator (switchyard policy explain shows the signals).`
        : `The guard stopped this response: ${category}. The answer contained content the gateway may not return.`,
      { param: category },
    );
    this.name = 'GuardBlockedError';
    this.category = category;
  }
}
