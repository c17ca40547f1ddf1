import { NavLink, useNavigate } from 'react-router';
import { useMe } from '../features/account/api/get-me';
import { useSignOut } from '../features/auth/api/sign-out';
import { useT } from '../lib/i18n';
import { hasAnyRole, useSession } from '../lib/session-store';

/** The header's right side: who is signed in, their pages, and sign-out. */
export function UserMenu() {
  const t = useT();
  const session = useSession();
  const signedIn = session.status === 'signedIn';
  const me = useMe(signedIn);
  const signOut = useSignOut();
  const navigate = useNavigate();
  if (!signedIn) {
    return (
      <nav className="shell__nav" aria-label={t('app.nav.account')}>
        <NavLink to="/sign-in" className="shell__link">
          {t('app.nav.signIn')}
        </NavLink>
        <NavLink to="/sign-up" className="shell__link">
          {t('app.nav.signUp')}
        </NavLink>
      </nav>
    );
  }
  const name = me.data?.displayName ?? session.user.email;
  return (
    <nav className="shell__nav" aria-label={t('app.nav.account')}>
      {hasAnyRole(session, ['admin']) ? (
        <NavLink to="/admin/users" className="shell__link">
          {t('app.nav.admin')}
        </NavLink>
      ) : null}
      <NavLink
        to="/account"
        className="shell__link shell__user"
        title={session.user.email}
        aria-label={t('app.nav.accountOf', { name })}
      >
        <span className="shell__user-name">{name}</span>
      </NavLink>
      <button
        type="button"
        className="shell__link button--link-plain"
        disabled={signOut.isPending}
        onClick={() =>
          signOut.mutate(undefined, {
            onSettled: () =>
              navigate('/sign-in', {
                replace: true,
                state: { message: t('app.signedOut') },
              }),
          })
        }
      >
        {t('app.nav.signOut')}
      </button>
    </nav>
  );
}
