import { type ReactNode, useEffect } from 'react';
import { refreshSession } from '../lib/api-client';
import { sessionStore } from '../lib/session-store';

/**
 * On load the access token is gone (it lives in memory only); the httpOnly refresh cookie, if
 * the browser still has one, brings the session back before any guarded page decides.
 */
export function SessionBootstrap({ children }: { children: ReactNode }) {
  useEffect(() => {
    if (sessionStore.get().status === 'unknown') void refreshSession();
  }, []);
  return children;
}
