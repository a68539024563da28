import { BlockList, isIP } from 'node:net';
import type { AbuseProtectionConfig } from './identity-config-schema.js';
import { AuthThrottledError } from './identity-errors.js';

/**
 * Slows, then refuses, clients that keep failing authentication from one address — credential
 * stuffing and key guessing become slow and loud instead of free. Only failures count, and the
 * authenticator consults the limiter only after a credential failed: a valid credential is never
 * slowed or refused, even from a blocked address. Loopback and `trusted_networks` are exempt.
 * Behind a NAT or proxy, set `server.trust_proxy` so the address is the client's, not the proxy's.
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

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) is the IPv4 address it carries. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Whether an address is never throttled: listed, in a trusted network, or loopback. */
export function exemptionsOf(config: Pick<AbuseProtectionConfig, 'exempt_addresses' | 'trusted_networks' | 'exempt_loopback'>): (address: string) => boolean {
  const listed = new Set(config.exempt_addresses.map(plainAddress));
  const networks = new BlockList();
  const networkList = [...config.trusted_networks, ...(config.exempt_loopback ? ['127.0.0.0/8', '::1/128'] : [])];
  for (const network of networkList) {
    const [address = '', prefix = ''] = network.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    networks.addSubnet(address, Number(prefix), family);
  }
  return (raw) => {
    const address = plainAddress(raw);
    const family = isIP(address);
    if (listed.has(address)) return true;
    return family !== 0 && networks.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

export function createAuthFailureLimiter(config: AbuseProtectionConfig, options: AuthFailureLimiterOptions = {}): AuthFailureLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  const exempt = exemptionsOf(config);
  // Map order doubles as recency: touched entries move to the end, the first is evicted.
  const states = new Map<string, AddressState>();
  const counters = { failures: 0, delayed: 0, refused: 0, blocks: 0 };
  const windowMs = config.window_seconds * 1000;

  const tracked = (address: string | undefined): address is string => config.enabled && address !== undefined && !exempt(address);

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
