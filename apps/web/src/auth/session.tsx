import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { bindSession } from '../api/client';
import { endOidcSession } from './oidc';

/** The signed-in person as the token names them (the API checks the same claims). */
export interface SessionUser {
  sub: string;
  name: string;
  roles: string[];
  department: string;
  /** Expiry, seconds since the epoch (the token's `exp`). */
  exp: number;
}

/** What the rest of the app sees of the session. */
export interface Session {
  token: string | null;
  user: SessionUser | null;
  /** Keeps a bearer token (from the demo sign-in or the OIDC callback) for this browser tab. */
  signIn(token: string): void;
  /**
   * Forgets the token; with `expired`, the page the person was on is kept to return to after sign-in; with `user`,
   * a single sign-on session is also ended at the identity provider (when it offers an end_session_endpoint).
   */
  signOut(reason?: 'user' | 'expired'): void;
  /** Why the last session ended, shown on the sign-in page; null after a fresh visit. */
  endedBecause: 'expired' | null;
}

const TOKEN_KEY = 'approvals.token';
const RETURN_KEY = 'approvals.returnTo';
const ENDED_KEY = 'approvals.ended';

/** Reads a JWT's payload without verifying it (the API verifies; the page only needs who and until when). */
export function decodeToken(token: string): SessionUser | null {
  try {
    const part = token.split('.')[1];
    if (!part) return null;
    const json = decodeURIComponent(
      atob(part.replace(/-/g, '+').replace(/_/g, '/'))
        .split('')
        .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
        .join(''),
    );
    const p = JSON.parse(json) as Record<string, unknown>;
    if (typeof p.sub !== 'string' || typeof p.exp !== 'number') return null;
    return {
      sub: p.sub,
      name: typeof p.name === 'string' ? p.name : p.sub,
      roles: Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [],
      department: typeof p.department === 'string' ? p.department : '',
      exp: p.exp,
    };
  } catch {
    return null;
  }
}

/** The page to go back to after sign-in (kept when a token expired mid-work), once. */
export function takeReturnPath(): string | null {
  const path = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return path && path.startsWith('/') && !path.startsWith('//') ? path : null;
}

/** Whether a page to go back to after sign-in is kept (e.g. by an expired session). */
export function hasReturnPath(): boolean {
  return sessionStorage.getItem(RETURN_KEY) !== null;
}

/** Remembers where the person is, so sign-in can bring them back (e.g. before an OIDC redirect). */
export function keepReturnPath(path: string): void {
  sessionStorage.setItem(RETURN_KEY, path);
}

const SessionContext = createContext<Session | null>(null);

function storedToken(): string | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const user = token ? decodeToken(token) : null;
  return user && user.exp * 1000 > Date.now() ? token : null;
}

/**
 * Holds the bearer token of this tab (sessionStorage: a closed tab is signed out) and wires it into the API
 * client. A 401 from the API or the token's `exp` passing ends the session and sends the person to sign-in with
 * the page they were on kept.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => storedToken());
  const [endedBecause, setEnded] = useState<'expired' | null>(() => (sessionStorage.getItem(ENDED_KEY) === 'expired' ? 'expired' : null));
  const user = useMemo(() => (token ? decodeToken(token) : null), [token]);

  const signIn = useCallback((next: string) => {
    sessionStorage.setItem(TOKEN_KEY, next);
    sessionStorage.removeItem(ENDED_KEY);
    setEnded(null);
    setToken(next);
  }, []);

  const signOut = useCallback((reason: 'user' | 'expired' = 'user') => {
    sessionStorage.removeItem(TOKEN_KEY);
    if (reason === 'expired') {
      keepReturnPath(`${location.pathname}${location.search}${location.hash}`);
      sessionStorage.setItem(ENDED_KEY, 'expired');
      setEnded('expired');
    } else {
      sessionStorage.removeItem(RETURN_KEY);
      sessionStorage.removeItem(ENDED_KEY);
      setEnded(null);
      void endOidcSession(); // a single sign-on session ends at the provider too (a demo session has none)
    }
    setToken(null);
  }, []);

  // Bound during render, not in an effect: the pages' first queries run in their own effects, before ours.
  bindSession(
    () => token,
    () => signOut('expired'),
  );

  useEffect(() => {
    if (!user) return;
    const ms = user.exp * 1000 - Date.now();
    const timer = setTimeout(() => signOut('expired'), Math.max(0, Math.min(ms, 2_147_000_000)));
    return () => clearTimeout(timer);
  }, [user, signOut]);

  const value = useMemo<Session>(() => ({ token, user, signIn, signOut, endedBecause }), [token, user, signIn, signOut, endedBecause]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The current session; throws outside {@link SessionProvider}. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession needs a SessionProvider');
  return s;
}

/** The page a person lands on after sign-in, by role: officers their work queue, supervisors the stuck list, admins the calendar. */
export function homePath(user: SessionUser | null): string {
  if (!user) return '/';
  if (user.roles.includes('supervisor')) return '/stuck';
  if (user.roles.includes('officer') || user.roles.includes('department_head')) return '/tasks';
  // Admins load the official holiday notices; everyone else reads the project list.
  return user.roles.includes('admin') ? '/calendar' : '/projects';
}
