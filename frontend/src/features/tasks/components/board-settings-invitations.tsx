import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { DateTime } from '../../../components/date-time';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useInviteToBoard } from '../api/invite-to-board';
import { type BoardInvitation, useListInvitations } from '../api/list-invitations';
import type { BoardRole } from '../api/list-members';
import { useResendInvitation } from '../api/resend-invitation';
import { useRevokeInvitation } from '../api/revoke-invitation';
import { EmailRoleForm } from './board-settings-email-role-form';
import { useBoardRoleName } from './board-settings-role-select';

/** Invite by email with a role; pending invitations with their expiry, resend, revoke. */
export function BoardSettingsInvitations({ boardId }: { boardId: string }) {
  const t = useT();
  const roleName = useBoardRoleName();
  const invitations = useListInvitations(boardId);
  const invite = useInviteToBoard(boardId);
  const resend = useResendInvitation(boardId);
  const revoke = useRevokeInvitation(boardId);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string }>();
  const [revoking, setRevoking] = useState<BoardInvitation>();

  async function onInvite(email: string, role: BoardRole) {
    setOutcome(undefined);
    const sent = await invite.mutateAsync({ email, role });
    setOutcome({
      tone: 'success',
      text: t('tasks.settings.invitations.sent', { email: sent.email }),
    });
  }

  async function onResend(invitation: BoardInvitation) {
    setOutcome(undefined);
    try {
      await resend.mutateAsync(invitation.id);
      setOutcome({
        tone: 'success',
        text: t('tasks.settings.invitations.resent', { email: invitation.email }),
      });
    } catch (error) {
      setOutcome({ tone: 'error', text: describeError(error) });
    }
  }

  async function onRevoke(invitation: BoardInvitation) {
    await revoke.mutateAsync(invitation.id);
    setRevoking(undefined);
    setOutcome({
      tone: 'success',
      text: t('tasks.settings.invitations.revoked', { email: invitation.email }),
    });
  }

  return (
    <section className="card stack" aria-labelledby="board-invitations-heading">
      <h2 id="board-invitations-heading">{t('tasks.settings.invitations.title')}</h2>
      <EmailRoleForm
        labels={{
          email: t('tasks.settings.invitations.email'),
          submit: t('tasks.settings.invitations.send'),
          busy: t('tasks.settings.invitations.sending'),
          failed: t('tasks.settings.invitations.failed'),
        }}
        onSubmit={onInvite}
      />
      {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}

      <h3>{t('tasks.settings.invitations.pending')}</h3>
      {invitations.isPending ? <Spinner label={t('tasks.settings.invitations.loading')} /> : null}
      {invitations.isError ? <Alert tone="error">{describeError(invitations.error)}</Alert> : null}
      {invitations.data?.length === 0 ? (
        <p className="muted">{t('tasks.settings.invitations.none')}</p>
      ) : null}
      {invitations.data?.length ? (
        <ul className="settings-list" aria-label={t('tasks.settings.invitations.pending')}>
          {invitations.data.map((invitation) => (
            <li key={invitation.id} className="settings-list__row">
              <div className="settings-list__main">
                <span className="break-anywhere">{invitation.email}</span>
                <span className="muted">
                  {roleName(invitation.role)} ·{' '}
                  {invitation.status === 'expired' ? (
                    <span className="status status--disabled">
                      {t('tasks.settings.invitations.expired')}
                    </span>
                  ) : (
                    <>
                      {t('tasks.settings.invitations.expires')}{' '}
                      <DateTime value={invitation.expiresAt} precision="minute" />
                    </>
                  )}
                </span>
              </div>
              <div className="settings-list__actions">
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('tasks.settings.invitations.resendTo', { email: invitation.email })}
                  disabled={resend.isPending}
                  onClick={() => void onResend(invitation)}
                >
                  {t('tasks.settings.invitations.resend')}
                </button>
                <button
                  type="button"
                  className="button button--small button--danger-quiet"
                  aria-label={t('tasks.settings.invitations.revokeOf', { email: invitation.email })}
                  onClick={() => {
                    revoke.reset();
                    setRevoking(invitation);
                  }}
                >
                  {t('tasks.settings.invitations.revoke')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}

      {revoking ? (
        <ConfirmDialog
          title={t('tasks.settings.invitations.revokeConfirmTitle', { email: revoking.email })}
          confirmLabel={t('tasks.settings.invitations.revoke')}
          danger
          busy={revoke.isPending}
          error={revoke.isError ? <Alert tone="error">{describeError(revoke.error)}</Alert> : null}
          onConfirm={() => void onRevoke(revoking).catch(() => undefined)}
          onCancel={() => setRevoking(undefined)}
        >
          <p>{t('tasks.settings.invitations.revokeConfirmBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
