import { type Column, DataTable, RowButton, RowLink } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { useRoleName } from '../../../components/role-name';
import { useT } from '../../../lib/i18n';
import type { AdminUser } from '../api/list-users';

export interface UsersTableProps {
  users: AdminUser[];
  /** The signed-in admin: no disabling oneself (the server refuses it too). */
  currentUserId: string;
  onEditRoles: (user: AdminUser) => void;
  onToggleDisabled: (user: AdminUser) => void;
  onResetMfa: (user: AdminUser) => void;
}

const STATUS_KEYS: Record<AdminUser['status'], string> = {
  active: 'admin.users.status.active',
  pending: 'admin.users.status.pending',
  disabled: 'admin.users.status.disabled',
};

export function UsersTable({
  users,
  currentUserId,
  onEditRoles,
  onToggleDisabled,
  onResetMfa,
}: UsersTableProps) {
  const t = useT();
  const roleName = useRoleName();
  const columns: Column<AdminUser>[] = [
    {
      label: t('admin.users.column.email'),
      rowHeader: true,
      cell: (user) => (
        <>
          <span className="break-anywhere">{user.email}</span>
          {user.id === currentUserId ? <span className="badge">{t('admin.users.you')}</span> : null}
        </>
      ),
    },
    {
      label: t('admin.users.column.status'),
      cell: (user) => (
        <span className={`status status--${user.status}`}>{t(STATUS_KEYS[user.status])}</span>
      ),
    },
    { label: t('admin.users.column.roles'), cell: (user) => user.roles.map(roleName).join(', ') },
    {
      label: t('admin.users.column.mfa'),
      cell: (user) => t(user.mfaEnabled ? 'admin.users.mfaOn' : 'admin.users.mfaOff'),
    },
    {
      label: t('admin.users.column.created'),
      cell: (user) => <DateTime value={user.createdAt} precision="day" />,
    },
  ];

  return (
    <DataTable
      caption={t('admin.users.title')}
      columns={columns}
      rows={users}
      rowKey={(user) => user.id}
      actions={(user) => {
        const disable = user.status !== 'disabled';
        return (
          <>
            <RowButton
              label={t('admin.users.rolesOf', { email: user.email })}
              onClick={() => onEditRoles(user)}
            >
              {t('admin.users.roles')}
            </RowButton>
            {user.id === currentUserId ? null : (
              <RowButton
                label={t(disable ? 'admin.users.disableNamed' : 'admin.users.enableNamed', {
                  email: user.email,
                })}
                danger={disable}
                onClick={() => onToggleDisabled(user)}
              >
                {t(disable ? 'admin.status.disable' : 'admin.status.enable')}
              </RowButton>
            )}
            {user.mfaEnabled ? (
              <RowButton
                label={t('admin.mfa.resetNamed', { email: user.email })}
                danger
                onClick={() => onResetMfa(user)}
              >
                {t('admin.mfa.resetShort')}
              </RowButton>
            ) : null}
            <RowLink
              to={`/admin/audit?user=${encodeURIComponent(user.id)}`}
              label={t('admin.users.eventsOf', { email: user.email })}
            >
              {t('admin.users.events')}
            </RowLink>
          </>
        );
      }}
    />
  );
}
