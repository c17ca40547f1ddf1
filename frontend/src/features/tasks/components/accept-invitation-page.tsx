import { useEffect, useRef } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeading } from '../../../components/page-heading';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';
import { useSession } from '../../../lib/session-store';
import { useAcceptInvitation } from '../api/accept-invitation';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const REFUSAL_KEYS: Record<string, string> = {
  invitation_not_found: 'tasks.invitation.notFound',
  invitation_expired: 'tasks.invitation.expired',
  invitation_wrong_account: 'tasks.invitation.wrongAccount',
};

/**
 * `/invitations/accept?token=…`, the emailed link. Signed in, it accepts at once and goes to
 * the board. Signed out, it explains and offers sign-in or sign-up; both carry this address as
 * `next`, through confirmation, so the visitor comes back here and the token is used then.
 */
export function AcceptInvitationPage() {
  const t = useT();
  const navigate = useNavigate();
  const session = useSession();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const accept = useAcceptInvitation();
  const tokenValid = TOKEN_PATTERN.test(token);
  // Sent once per token: an effect may run twice, and a token works only once.
  const sentFor = useRef<string>(undefined);

  useEffect(() => {
    if (session.status !== 'signedIn' || !tokenValid || sentFor.current === token) return;
    sentFor.current = token;
    accept.mutate(token, {
      onSuccess: ({ key }) => navigate(`/boards/${encodeURIComponent(key)}`, { replace: true }),
    });
  }, [session.status, token, tokenValid, accept, navigate]);

  const heading = <PageHeading>{t('tasks.invitation.title')}</PageHeading>;
  if (!tokenValid) {
    return (
      <section className="page page--narrow">
        {heading}
        <Alert tone="error" title={t('tasks.invitation.failed')}>
          {t('tasks.invitation.badLink')}
        </Alert>
      </section>
    );
  }
  if (session.status === 'unknown') return <Spinner label={t('tasks.invitation.checking')} />;
  if (session.status === 'signedOut') {
    const next = encodeURIComponent(`/invitations/accept?token=${token}`);
    return (
      <section className="page page--narrow stack">
        {heading}
        <p>{t('tasks.invitation.signedOut')}</p>
        <p className="muted">{t('tasks.invitation.signedOutHint')}</p>
        <div className="form__actions">
          <Link to={`/sign-in?next=${next}`} className="button button--primary">
            {t('tasks.invitation.signIn')}
          </Link>
          <Link to={`/sign-up?next=${next}`} className="button">
            {t('tasks.invitation.signUp')}
          </Link>
        </div>
      </section>
    );
  }
  if (accept.isError) {
    const error = accept.error;
    const key = error instanceof ApiError ? REFUSAL_KEYS[error.code] : undefined;
    return (
      <section className="page page--narrow stack">
        {heading}
        <Alert tone="error" title={t('tasks.invitation.failed')}>
          {key ? t(key, { email: session.user.email }) : describeError(error)}
        </Alert>
        <p>
          <Link to="/boards">{t('tasks.settings.allBoards')}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="page page--narrow">
      {heading}
      <Spinner label={t('tasks.invitation.accepting')} />
    </section>
  );
}
