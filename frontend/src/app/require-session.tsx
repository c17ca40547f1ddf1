import type { ReactNode } from 'react';
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { Spinner } from '../components/spinner';
import { safeNext } from '../features/auth/components/sign-in-page';
import { useT } from '../lib/i18n';
import { hasAnyRole, type Role, useSession } from '../lib/session-store';
import { ForbiddenPage } from './forbidden-page';

/**
 * The route guard: signed-out visitors go to sign-in (and come back afterwards); signed-in users
 * without one of `roles` see a 403 page. The server checks every request anyway; this only
 * keeps people from pages that would fail.
 */
export function RequireSession({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const t = useT();
  const session = useSession();
  const location = useLocation();
  if (session.status === 'unknown') return <Spinner label={t('app.checkingSession')} />;
  if (session.status === 'signedOut') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (roles && !hasAnyRole(session, roles)) return <ForbiddenPage />;
  return children;
}

/** Pages for signed-out visitors (sign-in, sign-up…) send signed-in users on to the app. */
export function RequireNoSession({ children }: { children: ReactNode }) {
  const t = useT();
  const session = useSession();
  const [params] = useSearchParams();
  if (session.status === 'unknown') return <Spinner label={t('app.checkingSession')} />;
  if (session.status === 'signedIn') return <Navigate to={safeNext(params.get('next'))} replace />;
  return children;
}
