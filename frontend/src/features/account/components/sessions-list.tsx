import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { Spinner } from '../../../components/spinner';
import { describeError } from '../../../lib/problem';
import { type Session, useSessions } from '../api/list-sessions';
import { useRevokeSession } from '../api/revoke-session';
import { useSignOutEverywhere } from '../api/sign-out-everywhere';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A readable device name from the user agent, enough to tell one's devices apart. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /(Edg|Firefox|Chrome|Safari)\/[\d.]+/.exec(userAgent)?.[1];
  const system = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(userAgent)?.[1];
  const names: Record<string, string> = { Edg: 'Edge', 'Mac OS X': 'macOS' };
  if (!browser && !system) return userAgent.slice(0, 60);
  return [browser && (names[browser] ?? browser), system && (names[system] ?? system)]
    .filter(Boolean)
    .join(' on ');
}

export function SessionsList() {
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const everywhere = useSignOutEverywhere();
  const [confirmEverywhere, setConfirmEverywhere] = useState(false);

  if (sessions.isPending) return <Spinner label="Loading your sessions…" />;
  if (sessions.isError) {
    return <Alert tone="error">{describeError(sessions.error)}</Alert>;
  }
  return (
    <div className="stack">
      {revoke.isError ? <Alert tone="error">{describeError(revoke.error)}</Alert> : null}
      <ul className="session-list" aria-label="Signed-in devices">
        {sessions.data.items.map((session: Session) => (
          <li key={session.id} className="session-list__item">
            <div>
              <p className="session-list__device">
                {describeDevice(session.userAgent)}
                {session.current ? <span className="badge">This device</span> : null}
              </p>
              <p className="session-list__meta">
                {session.ip ?? 'unknown address'} · signed in{' '}
                {dateFormat.format(new Date(session.createdAt))} · last active{' '}
                {dateFormat.format(new Date(session.lastUsedAt))}
              </p>
            </div>
            {session.current ? null : (
              <button
                type="button"
                className="button button--small"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate(session.id)}
                aria-label={`Sign out ${describeDevice(session.userAgent)}, signed in ${dateFormat.format(new Date(session.createdAt))}`}
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <div>
        <button type="button" className="button" onClick={() => setConfirmEverywhere(true)}>
          Sign out everywhere
        </button>
      </div>
      {confirmEverywhere ? (
        <ConfirmDialog
          title="Sign out everywhere?"
          confirmLabel="Sign out everywhere"
          busy={everywhere.isPending}
          error={
            everywhere.isError ? (
              <Alert tone="error">{describeError(everywhere.error)}</Alert>
            ) : undefined
          }
          onCancel={() => setConfirmEverywhere(false)}
          onConfirm={() => everywhere.mutate()}
        >
          <p>Every device, this one included, will need to sign in again.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
