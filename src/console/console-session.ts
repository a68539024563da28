import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed-in console sessions, kept in memory on this replica (a restart signs everyone out).
 * The browser holds only a random id in an httpOnly, SameSite=Strict cookie; the credential
 * behind it (the admin key, or the OIDC ID token) never goes back to the browser, and every
 * console call re-authenticates it, so a revoked key or a removed role ends access at once.
 */
export interface ConsoleSession {
  id: string;
  /** Sent as `Authorization: Bearer …` on the session's behalf. */
  credential: string;
  /** Echoed by the page in `x-csrf-token` on every write. */
  csrfToken: string;
  principalId: string;
  method: 'admin_key' | 'oidc';
  expiresAt: number;
}

export interface SessionStore {
  create(input: Omit<ConsoleSession, 'id' | 'csrfToken' | 'expiresAt'> & { expiresAt?: number }): ConsoleSession;
  get(id: string | undefined): ConsoleSession | undefined;
  delete(id: string | undefined): void;
}

export const token = (): string => randomBytes(32).toString('base64url');

/** Constant-time comparison of two tokens (a mismatch in length is simply false). */
export function sameToken(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function createSessionStore(options: { ttlMs: number; max: number; now?: () => number }): SessionStore {
  const now = options.now ?? Date.now;
  // Insertion order = age: the first entry is the oldest, dropped when the store is full.
  const sessions = new Map<string, ConsoleSession>();
  return {
    create(input) {
      const expiresAt = Math.min(now() + options.ttlMs, input.expiresAt ?? Number.POSITIVE_INFINITY);
      const session: ConsoleSession = { ...input, id: token(), csrfToken: token(), expiresAt };
      while (sessions.size >= options.max) {
        const oldest = sessions.keys().next().value;
        if (oldest === undefined) break;
        sessions.delete(oldest);
      }
      sessions.set(session.id, session);
      return session;
    },
    get(id) {
      if (id === undefined) return undefined;
      const session = sessions.get(id);
      if (session && session.expiresAt <= now()) {
        sessions.delete(id);
        return undefined;
      }
      return session;
    },
    delete(id) {
      if (id !== undefined) sessions.delete(id);
    },
  };
}

/** The value of one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  path: string;
  maxAgeSeconds: number;
  secure: boolean;
  sameSite: 'Strict' | 'Lax';
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return [`${name}=${value}`, `Path=${options.path}`, `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`, 'HttpOnly', `SameSite=${options.sameSite}`, ...(options.secure ? ['Secure'] : [])].join('; ');
}
