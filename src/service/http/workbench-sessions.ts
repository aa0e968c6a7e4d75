import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../../util/keyed-hash.js';

export const SESSION_COOKIE = 'dg_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface WorkbenchSession {
  keyId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Browser sessions of the analyst workbench, held in memory. The browser gets a random token in
 * an HttpOnly cookie; only its SHA-256 is kept here, so a heap dump does not hand out sessions,
 * and the API key that opened the session is never stored or sent back. A server restart signs
 * everyone out, which is the safe side.
 */
export interface SessionRegistry {
  open(keyId: string): { token: string; session: WorkbenchSession };
  /** The live session for a cookie token, or null (unknown, expired or closed). */
  find(token: string): WorkbenchSession | null;
  close(token: string): void;
  /** Whether a presented CSRF token is this session's. */
  csrfMatches(session: WorkbenchSession, presented: string | undefined): boolean;
  readonly size: number;
}

export interface SessionRegistryOptions {
  ttlMs?: number;
  maxSessions?: number;
  now?: () => number;
}

export function createSessionRegistry({ ttlMs = 8 * 3600_000, maxSessions = 10_000, now = Date.now }: SessionRegistryOptions = {}): SessionRegistry {
  const sessions = new Map<string, WorkbenchSession>();
  const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
  const prune = (): void => {
    const at = now();
    for (const [key, session] of sessions) if (session.expiresAt <= at) sessions.delete(key);
    // Oldest first (insertion order): a flood of sign-ins cannot grow memory without bound.
    while (sessions.size >= maxSessions) sessions.delete(sessions.keys().next().value!);
  };
  return {
    open(keyId) {
      prune();
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const session = { keyId, csrfToken: randomBytes(24).toString('base64url'), createdAt: at, expiresAt: at + ttlMs };
      sessions.set(hash(token), session);
      return { token, session };
    },
    find(token) {
      const key = hash(token);
      const session = sessions.get(key);
      if (session === undefined) return null;
      if (session.expiresAt <= now()) {
        sessions.delete(key);
        return null;
      }
      return session;
    },
    close(token) {
      sessions.delete(hash(token));
    },
    csrfMatches(session, presented) {
      if (presented === undefined || presented.length !== session.csrfToken.length) return false;
      return constantTimeEqual(Buffer.from(presented), Buffer.from(session.csrfToken));
    },
    get size() {
      return sessions.size;
    },
  };
}

/** The value of one cookie in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export function sessionCookie(token: string, { maxAgeSeconds, secure }: { maxAgeSeconds: number; secure: boolean }): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}
