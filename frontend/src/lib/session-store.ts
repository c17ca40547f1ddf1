import { useSyncExternalStore } from 'react';

export type Role = 'admin' | 'supervisor' | 'member';

export interface SessionUser {
  id: string;
  email: string;
  roles: Role[];
}

/**
 * `unknown` until the first refresh attempt says whether the browser still holds a session
 * (the refresh cookie survives reloads; the access token does not).
 */
export type SessionState =
  | { status: 'unknown' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; accessToken: string; sessionId: string; user: SessionUser };

export interface IssuedSession {
  accessToken: string;
  sessionId: string;
  user: SessionUser;
}

/**
 * The signed-in session, in memory only: the access token is never written to storage, so a
 * script injected into the page cannot read it from there, and a reload restores the session
 * through the httpOnly refresh cookie instead.
 */
function createSessionStore() {
  let state: SessionState = { status: 'unknown' };
  const listeners = new Set<() => void>();
  const set = (next: SessionState) => {
    state = next;
    for (const listener of listeners) listener();
  };
  return {
    get: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    signedIn({ accessToken, sessionId, user }: IssuedSession) {
      set({ status: 'signedIn', accessToken, sessionId, user });
    },
    signedOut() {
      if (state.status !== 'signedOut') set({ status: 'signedOut' });
    },
    accessToken: () => (state.status === 'signedIn' ? state.accessToken : undefined),
    /** Back to the state of a freshly loaded page, which has yet to ask the refresh cookie. */
    reset() {
      set({ status: 'unknown' });
    },
  };
}

export const sessionStore = createSessionStore();

export function useSession(): SessionState {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get, sessionStore.get);
}

export function hasAnyRole(state: SessionState, roles: readonly Role[]): boolean {
  return state.status === 'signedIn' && state.user.roles.some((role) => roles.includes(role));
}
