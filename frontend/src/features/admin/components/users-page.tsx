import { useRef, useState } from 'react';
import { PageHeading } from '../../../components/page-heading';
import { useRoleName } from '../../../components/role-name';
import { useCursorPages } from '../../../components/use-cursor-pages';
import { useT } from '../../../lib/i18n';
import { useSession } from '../../../lib/session-store';
import { type AdminUser, useListUsers } from '../api/list-users';
import { useFilters } from '../hooks/use-filters';
import { FilteredList } from './filtered-list';
import { MfaResetDialog } from './mfa-reset-dialog';
import { RolesDialog } from './roles-dialog';
import { StatusMessage } from './status-message';
import { UserStatusDialog } from './user-status-dialog';
import { UsersTable } from './users-table';

export const USERS_PAGE_SIZE = 20;
const FILTERS = ['q'] as const;

type Editing =
  | { kind: 'roles'; user: AdminUser }
  | { kind: 'status'; user: AdminUser }
  | { kind: 'mfa'; user: AdminUser };

export function UsersPage() {
  const t = useT();
  const roleName = useRoleName();
  const session = useSession();
  const filters = useFilters(FILTERS);
  const pages = useCursorPages(filters.key);
  const users = useListUsers({
    limit: USERS_PAGE_SIZE,
    q: filters.applied.q,
    cursor: pages.cursor,
  });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [message, setMessage] = useState<string>();
  const messageRef = useRef<HTMLDivElement>(null);

  function done(text: string) {
    setEditing(null);
    setMessage(text);
    requestAnimationFrame(() => messageRef.current?.focus());
  }

  return (
    <section className="page">
      <PageHeading>{t('admin.users.title')}</PageHeading>
      <FilteredList
        filters={filters}
        searchLabel={t('admin.users.search')}
        fields={[{ name: 'q', label: t('admin.users.emailContains') }]}
        status={<StatusMessage ref={messageRef} message={message} />}
        query={users}
        pages={pages}
        loadingLabel={t('admin.users.loading')}
        errorTitle={t('admin.users.loadFailed')}
        empty={
          <p>
            {filters.applied.q
              ? t('admin.users.noMatch', { q: filters.applied.q })
              : t('admin.users.empty')}
          </p>
        }
      >
        {(items) => (
          <UsersTable
            users={items}
            currentUserId={session.status === 'signedIn' ? session.user.id : ''}
            onEditRoles={(user) => setEditing({ kind: 'roles', user })}
            onToggleDisabled={(user) => setEditing({ kind: 'status', user })}
            onResetMfa={(user) => setEditing({ kind: 'mfa', user })}
          />
        )}
      </FilteredList>
      {editing?.kind === 'roles' ? (
        <RolesDialog
          user={editing.user}
          onCancel={() => setEditing(null)}
          onSaved={(user) =>
            done(
              t('admin.users.rolesSaved', {
                email: user.email,
                roles: user.roles.map(roleName).join(', '),
              }),
            )
          }
        />
      ) : null}
      {editing?.kind === 'status' ? (
        <UserStatusDialog
          user={editing.user}
          onCancel={() => setEditing(null)}
          onDone={(user) =>
            done(
              user.status === 'disabled'
                ? t('admin.users.disabled', { email: user.email })
                : t('admin.users.enabled', { email: user.email }),
            )
          }
        />
      ) : null}
      {editing?.kind === 'mfa' ? (
        <MfaResetDialog
          user={editing.user}
          onCancel={() => setEditing(null)}
          onDone={(user) => done(t('admin.mfa.done', { email: user.email }))}
        />
      ) : null}
    </section>
  );
}
