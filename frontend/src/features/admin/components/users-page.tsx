import { useRef, useState } from 'react';
import { PageHeading } from '../../../components/page-heading';
import { useCursorPages } from '../../../components/use-cursor-pages';
import { useSession } from '../../../lib/session-store';
import { type AdminUser, useListUsers } from '../api/list-users';
import { useFilters } from '../hooks/use-filters';
import { FilteredList } from './filtered-list';
import { RolesDialog } from './roles-dialog';
import { StatusMessage } from './status-message';
import { UserStatusDialog } from './user-status-dialog';
import { UsersTable } from './users-table';

export const USERS_PAGE_SIZE = 20;
const FILTERS = ['q'] as const;

type Editing = { kind: 'roles'; user: AdminUser } | { kind: 'status'; user: AdminUser };

export function UsersPage() {
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
      <PageHeading>Users</PageHeading>
      <FilteredList
        filters={filters}
        searchLabel="Search users"
        fields={[{ name: 'q', label: 'Email contains' }]}
        status={<StatusMessage ref={messageRef} message={message} />}
        query={users}
        pages={pages}
        loadingLabel="Loading users…"
        errorTitle="Users could not be loaded"
        empty={
          <p>
            {filters.applied.q
              ? `No user’s email contains “${filters.applied.q}”.`
              : 'No users yet.'}
          </p>
        }
      >
        {(items) => (
          <UsersTable
            users={items}
            currentUserId={session.status === 'signedIn' ? session.user.id : ''}
            onEditRoles={(user) => setEditing({ kind: 'roles', user })}
            onToggleDisabled={(user) => setEditing({ kind: 'status', user })}
          />
        )}
      </FilteredList>
      {editing?.kind === 'roles' ? (
        <RolesDialog
          user={editing.user}
          onCancel={() => setEditing(null)}
          onSaved={(user) => done(`${user.email} now has the roles: ${user.roles.join(', ')}.`)}
        />
      ) : null}
      {editing?.kind === 'status' ? (
        <UserStatusDialog
          user={editing.user}
          onCancel={() => setEditing(null)}
          onDone={(user) =>
            done(
              user.status === 'disabled'
                ? `${user.email} is disabled and was signed out everywhere.`
                : `${user.email} is enabled again.`,
            )
          }
        />
      ) : null}
    </section>
  );
}
