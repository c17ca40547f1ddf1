import { NavLink, useNavigate } from 'react-router';
import { useSignOut } from '../features/auth/api/sign-out';
import { hasAnyRole, useSession } from '../lib/session-store';

/** The header's right side: who is signed in, their pages, and sign-out. */
export function UserMenu() {
  const session = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  if (session.status !== 'signedIn') {
    return (
      <nav className="shell__nav shell__nav--end" aria-label="Account">
        <NavLink to="/sign-in" className="shell__link">
          Sign in
        </NavLink>
        <NavLink to="/sign-up" className="shell__link">
          Sign up
        </NavLink>
      </nav>
    );
  }
  return (
    <nav className="shell__nav shell__nav--end" aria-label="Account">
      {hasAnyRole(session, ['admin']) ? (
        <NavLink to="/admin/users" className="shell__link">
          Admin
        </NavLink>
      ) : null}
      <NavLink to="/account" className="shell__link" title={session.user.email}>
        Account
      </NavLink>
      <button
        type="button"
        className="shell__link button--link-plain"
        disabled={signOut.isPending}
        onClick={() =>
          signOut.mutate(undefined, {
            onSettled: () =>
              navigate('/sign-in', { replace: true, state: { message: 'You are signed out.' } }),
          })
        }
      >
        Sign out
      </button>
    </nav>
  );
}
