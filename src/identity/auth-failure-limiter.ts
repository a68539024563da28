import type { AbuseProtectionConfig } from './identity-config-schema.js';
import { AuthThrottledError } from './identity-errors.js';

/**
 * Slows, then refuses, clients that keep failing authentication from one address — credential
 * stuffing and key guessing become slow and loud instead of free. Only failures count: a busy
 * client with a valid key is never throttled. Behind a NAT or proxy, set `server.trust_proxy`
 * so the address is the client's, not the proxy's.
 */
export interface AuthFailureCounters {
  /** Failed authentications recorded. */
  failures: number;
  /** Attempts answered after an added delay. */
  delayed: number;
  /** Attempts refused with 429 while an address was blocked. */
  refused: number;
  /** Addresses blocked so far. */
  blocks: number;
  trackedAddresses: number;
}

export interface AuthFailureLimiter {
  /** Call before authenticating: waits when the address is slowed, throws AuthThrottledError when blocked. */
  admit(address: string | undefined): Promise<void>;
  recordFailure(address: string | undefined): void;
  counters(): AuthFailureCounters;
}

export interface AuthFailureLimiterOptions {
  now?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
}

interface AddressState {
  failures: number[];
  blockedUntil: number;
}

export function createAuthFailureLimiter(config: AbuseProtectionConfig, options: AuthFailureLimiterOptions = {}): AuthFailureLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  const exempt = new Set(config.exempt_addresses);
  // Map order doubles as recency: touched entries move to the end, the first is evicted.
  const states = new Map<string, AddressState>();
  const counters = { failures: 0, delayed: 0, refused: 0, blocks: 0 };
  const windowMs = config.window_seconds * 1000;

  const tracked = (address: string | undefined): address is string => config.enabled && address !== undefined && !exempt.has(address);

  const touch = (address: string): AddressState => {
    const state = states.get(address) ?? { failures: [], blockedUntil: 0 };
    states.delete(address);
    states.set(address, state);
    while (states.size > config.max_tracked_addresses) {
      const oldest = states.keys().next();
      if (oldest.done) break;
      states.delete(oldest.value);
    }
    const at = now();
    while (state.failures.length > 0 && (state.failures[0] ?? 0) <= at - windowMs) state.failures.shift();
    return state;
  };

  return {
    async admit(address) {
      if (!tracked(address) || !states.has(address)) return;
      const state = touch(address);
      const at = now();
      if (state.blockedUntil > at) {
        counters.refused += 1;
        throw new AuthThrottledError(Math.ceil((state.blockedUntil - at) / 1000));
      }
      const excess = state.failures.length - config.delay_after_failures;
      if (excess < 0) return;
      counters.delayed += 1;
      // Doubling per extra failure: a script notices little at first and a lot soon after.
      await sleep(Math.min(config.max_delay_ms, config.delay_ms * 2 ** excess));
    },
    recordFailure(address) {
      counters.failures += 1;
      if (!tracked(address)) return;
      const state = touch(address);
      const at = now();
      state.failures.push(at);
      if (state.failures.length >= config.block_after_failures) {
        counters.blocks += 1;
        state.blockedUntil = at + config.block_seconds * 1000;
        // After the block the address starts clean rather than being re-blocked on its first miss.
        state.failures = [];
      }
    },
    counters() {
      return { ...counters, trackedAddresses: states.size };
    },
  };
}
