/**
 * A credential (an OAuth access token, a set of temporary AWS keys) fetched on demand, reused
 * until shortly before it expires and refreshed once by whoever asks first (concurrent callers
 * share the refresh). The clock is injected so refresh timing is testable.
 *
 * Why our own cache on top of the SDKs' caches: it makes the refresh point explicit and equal
 * for all three clouds, and when a refresh fails while the old credential is still valid, the
 * old one keeps serving (an identity endpoint blip should not fail requests); once expired, the
 * failure surfaces.
 */

export interface Expiring<T> {
  value: T;
  /** Epoch milliseconds; undefined for credentials that do not expire (static keys). */
  expiresAt?: number;
  /** Epoch milliseconds at which the issuer suggests refreshing (Entra's refresh_in). */
  refreshAt?: number;
}

export interface CachedCredentialOptions<T> {
  fetch(): Promise<Expiring<T>>;
  now(): number;
  /** Refresh this long before expiry. */
  refreshMarginMs: number;
}

export interface CachedCredential<T> {
  get(): Promise<T>;
  /** Forgets the cached credential (the upstream refused it), so the next get() fetches anew. */
  invalidate(): void;
}

export function createCachedCredential<T>(options: CachedCredentialOptions<T>): CachedCredential<T> {
  let current: Expiring<T> | undefined;
  let pending: Promise<Expiring<T>> | undefined;

  const refreshDue = (credential: Expiring<T>, now: number) => {
    if (credential.refreshAt !== undefined && now >= credential.refreshAt) return true;
    return credential.expiresAt !== undefined && now >= credential.expiresAt - options.refreshMarginMs;
  };
  const stillValid = (credential: Expiring<T>, now: number) => credential.expiresAt === undefined || now < credential.expiresAt;

  return {
    async get() {
      const now = options.now();
      if (current !== undefined && !refreshDue(current, now)) return current.value;
      pending ??= options.fetch().finally(() => {
        pending = undefined;
      });
      try {
        current = await pending;
        return current.value;
      } catch (error) {
        if (current !== undefined && stillValid(current, options.now())) return current.value;
        throw error;
      }
    },
    invalidate() {
      current = undefined;
    },
  };
}
