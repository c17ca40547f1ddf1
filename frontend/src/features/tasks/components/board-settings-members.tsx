import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useSession } from '../../../lib/session-store';
import { useAddMember } from '../api/add-member';
import { useChangeMemberRole } from '../api/change-member-role';
import { type BoardMember, type BoardRole, useListMembers } from '../api/list-members';
import { useRemoveMember } from '../api/remove-member';
import { EmailRoleForm } from './board-settings-email-role-form';
import { isBoardRole, RoleSelect, useBoardRoleName } from './board-settings-role-select';

/** Members with their roles: add an existing account, change a role, remove (asks first). */
export function BoardSettingsMembers({ boardId }: { boardId: string }) {
  const t = useT();
  const roleName = useBoardRoleName();
  const session = useSession();
  const members = useListMembers(boardId);
  const add = useAddMember(boardId);
  const changeRole = useChangeMemberRole(boardId);
  const remove = useRemoveMember(boardId);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string }>();
  const [removing, setRemoving] = useState<BoardMember>();

  async function onAdd(email: string, role: BoardRole) {
    setOutcome(undefined);
    const added = await add.mutateAsync({ email, role });
    setOutcome({
      tone: 'success',
      text: t('tasks.settings.members.added', { email: added.email, role: roleName(added.role) }),
    });
  }

  async function onRoleChange(member: BoardMember, role: string) {
    if (!isBoardRole(role) || role === member.role) return;
    setOutcome(undefined);
    try {
      await changeRole.mutateAsync({ userId: member.userId, role });
      setOutcome({
        tone: 'success',
        text: t('tasks.settings.members.roleChanged', {
          email: member.email,
          role: roleName(role),
        }),
      });
    } catch (error) {
      setOutcome({ tone: 'error', text: describeError(error) });
    }
  }

  async function onRemove(member: BoardMember) {
    await remove.mutateAsync(member.userId);
    setRemoving(undefined);
    setOutcome({
      tone: 'success',
      text: t('tasks.settings.members.removed', { email: member.email }),
    });
  }

  return (
    <section className="card stack" aria-labelledby="board-members-heading">
      <h2 id="board-members-heading">{t('tasks.settings.members.title')}</h2>
      {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      {members.isPending ? <Spinner label={t('tasks.settings.members.loading')} /> : null}
      {members.isError ? <Alert tone="error">{describeError(members.error)}</Alert> : null}
      {members.data ? (
        <ul className="settings-list" aria-label={t('tasks.settings.members.list')}>
          {members.data.map((member) => (
            <li key={member.userId} className="settings-list__row">
              <div className="settings-list__main">
                <span className="break-anywhere">{member.displayName ?? member.email}</span>
                {member.displayName ? (
                  <span className="muted break-anywhere">{member.email}</span>
                ) : null}
                {session.status === 'signedIn' && session.user.id === member.userId ? (
                  <span className="badge">{t('tasks.settings.members.you')}</span>
                ) : null}
              </div>
              <div className="settings-list__actions">
                <RoleSelect
                  label={t('tasks.settings.members.roleOf', { email: member.email })}
                  hideLabel
                  value={member.role}
                  disabled={changeRole.isPending}
                  onChange={(event) => void onRoleChange(member, event.target.value)}
                />
                <button
                  type="button"
                  className="button button--small button--danger-quiet"
                  aria-label={t('tasks.settings.members.removeOf', { email: member.email })}
                  onClick={() => {
                    remove.reset();
                    setRemoving(member);
                  }}
                >
                  {t('tasks.settings.members.remove')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}

      <h3>{t('tasks.settings.members.addTitle')}</h3>
      <EmailRoleForm
        labels={{
          email: t('tasks.settings.members.email'),
          hint: t('tasks.settings.members.emailHint'),
          submit: t('tasks.settings.members.add'),
          busy: t('tasks.settings.members.adding'),
          failed: t('tasks.settings.members.addFailed'),
        }}
        onSubmit={onAdd}
      />

      {removing ? (
        <ConfirmDialog
          title={t('tasks.settings.members.removeConfirmTitle', { email: removing.email })}
          confirmLabel={t('tasks.settings.members.remove')}
          danger
          busy={remove.isPending}
          error={remove.isError ? <Alert tone="error">{describeError(remove.error)}</Alert> : null}
          onConfirm={() => void onRemove(removing).catch(() => undefined)}
          onCancel={() => setRemoving(undefined)}
        >
          <p>{t('tasks.settings.members.removeConfirmBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
