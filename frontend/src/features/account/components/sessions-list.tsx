import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { DateTime } from '../../../components/date-time';
import { Spinner } from '../../../components/spinner';
import { useFormat } from '../../../lib/format';
import { type Translate, useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { type Session, useSessions } from '../api/list-sessions';
import { useRevokeSession } from '../api/revoke-session';
import { useSignOutEverywhere } from '../api/sign-out-everywhere';

/** A readable device name from the user agent, enough to tell one's devices apart. */
export function describeDevice(userAgent: string | null, t: Translate): string {
  if (!userAgent) return t('account.sessions.unknownDevice');
  const browser = /(Edg|Firefox|Chrome|Safari)\/[\d.]+/.exec(userAgent)?.[1];
  const system = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(userAgent)?.[1];
  const names: Record<string, string> = { Edg: 'Edge', 'Mac OS X': 'macOS' };
  if (!browser && !system) return userAgent.slice(0, 60);
  if (browser && system) {
    return t('account.sessions.browserOn', {
      browser: names[browser] ?? browser,
      system: names[system] ?? system,
    });
  }
  const only = (browser ?? system) as string;
  return names[only] ?? only;
}

export function SessionsList() {
  const t = useT();
  const format = useFormat();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const everywhere = useSignOutEverywhere();
  const [confirmEverywhere, setConfirmEverywhere] = useState(false);

  if (sessions.isPending) return <Spinner label={t('account.sessions.loading')} />;
  if (sessions.isError) {
    return <Alert tone="error">{describeError(sessions.error)}</Alert>;
  }
  return (
    <div className="stack">
      {revoke.isError ? <Alert tone="error">{describeError(revoke.error)}</Alert> : null}
      <ul className="session-list" aria-label={t('account.sessions.list')}>
        {sessions.data.items.map((session: Session) => (
          <li key={session.id} className="session-list__item">
            <div>
              <p className="session-list__device">
                {describeDevice(session.userAgent, t)}
                {session.current ? (
                  <span className="badge">{t('account.sessions.thisDevice')}</span>
                ) : null}
              </p>
              <p className="session-list__meta">
                {session.ip ?? t('account.sessions.unknownAddress')} ·{' '}
                {t('account.sessions.signedIn')} <DateTime value={session.createdAt} /> ·{' '}
                {t('account.sessions.lastActive')} <DateTime value={session.lastUsedAt} relative />
              </p>
            </div>
            {session.current ? null : (
              <button
                type="button"
                className="button button--small"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate(session.id)}
                aria-label={t('account.sessions.signOutDevice', {
                  device: describeDevice(session.userAgent, t),
                  when: format.dateTime(session.createdAt),
                })}
              >
                {t('account.sessions.signOut')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div>
        <button type="button" className="button" onClick={() => setConfirmEverywhere(true)}>
          {t('account.sessions.everywhere')}
        </button>
      </div>
      {confirmEverywhere ? (
        <ConfirmDialog
          title={t('account.sessions.everywhereTitle')}
          confirmLabel={t('account.sessions.everywhere')}
          busy={everywhere.isPending}
          error={
            everywhere.isError ? (
              <Alert tone="error">{describeError(everywhere.error)}</Alert>
            ) : undefined
          }
          onCancel={() => setConfirmEverywhere(false)}
          onConfirm={() => everywhere.mutate()}
        >
          <p>{t('account.sessions.everywhereBody')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
