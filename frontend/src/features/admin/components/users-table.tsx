import { type Column, DataTable, RowButton, RowLink } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import type { AdminUser } from '../api/list-users';

export interface UsersTableProps {
  users: AdminUser[];
  /** The signed-in admin: no disabling oneself (the server refuses it too). */
  currentUserId: string;
  onEditRoles: (user: AdminUser) => void;
  onToggleDisabled: (user: AdminUser) => void;
}

const STATUS_LABELS: Record<AdminUser['status'], string> = {
  active: 'Active',
  pending: 'Not confirmed',
  disabled: 'Disabled',
};

export function UsersTable({
  users,
  currentUserId,
  onEditRoles,
  onToggleDisabled,
}: UsersTableProps) {
  const columns: Column<AdminUser>[] = [
    {
      label: 'Email',
      rowHeader: true,
      cell: (user) => (
        <>
          {user.email}
          {user.id === currentUserId ? <span className="badge">You</span> : null}
        </>
      ),
    },
    {
      label: 'Status',
      cell: (user) => (
        <span className={`status status--${user.status}`}>{STATUS_LABELS[user.status]}</span>
      ),
    },
    { label: 'Roles', cell: (user) => user.roles.join(', ') },
    { label: 'Created', cell: (user) => <DateTime value={user.createdAt} precision="day" /> },
  ];

  return (
    <DataTable
      caption="Users"
      columns={columns}
      rows={users}
      rowKey={(user) => user.id}
      actions={(user) => {
        const toggle = user.status === 'disabled' ? 'Enable' : 'Disable';
        return (
          <>
            <RowButton label={`Change roles of ${user.email}`} onClick={() => onEditRoles(user)}>
              Roles
            </RowButton>
            {user.id === currentUserId ? null : (
              <RowButton
                label={`${toggle} ${user.email}`}
                danger={user.status !== 'disabled'}
                onClick={() => onToggleDisabled(user)}
              >
                {toggle}
              </RowButton>
            )}
            <RowLink
              to={`/admin/audit?userId=${encodeURIComponent(user.id)}`}
              label={`Audit events of ${user.email}`}
            >
              Events
            </RowLink>
          </>
        );
      }}
    />
  );
}
