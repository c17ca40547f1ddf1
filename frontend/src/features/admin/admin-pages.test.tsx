import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, describe, expect, it } from 'vitest';
import { createConfirmedUser, signInElsewhere } from '../../../test/accounts';
import { signedInWithRoles, testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';
import { ApiError } from '../../lib/problem';
import { listUsers } from './api/list-users';

function uniqueToken(prefix: string) {
  return `${prefix}${crypto.getRandomValues(new Uint32Array(2)).join('')}`;
}

afterAll(async () => {
  await testDatabase.$disconnect();
});

describe('admin pages against the real API', () => {
  it('lists users, searches by email and pages through the matches', async () => {
    await signedInWithRoles(['admin']);
    // Listing needs rows, not working accounts: 23 pending sign-ups inserted directly.
    const token = uniqueToken('paged');
    const emails = Array.from(
      { length: 23 },
      (_, index) => `${token}-${String(index).padStart(2, '0')}@example.test`,
    );
    await testDatabase.user.createMany({
      data: emails.map((email) => ({ email, passwordHash: 'unusable' })),
    });
    try {
      const { user } = renderApp('/admin/users');
      expect(await screen.findByRole('heading', { level: 1, name: 'Users' })).toHaveFocus();
      const search = screen.getByRole('search', { name: 'Search users' });
      await user.type(within(search).getByLabelText('Email contains'), token);
      await user.click(within(search).getByRole('button', { name: 'Search' }));

      // Until the search answers, the unfiltered list stays on screen.
      const table = await screen.findByRole('table', { name: 'Users' });
      await waitFor(() =>
        expect(
          within(table)
            .getAllByRole('rowheader')
            .map((cell) => cell.textContent),
        ).toEqual(emails.slice(0, 20)),
      );
      expect(within(table).getAllByText('Not confirmed')).toHaveLength(20);
      expect(screen.getByText('Page 1')).toBeInTheDocument();

      await user.click(screen.getByRole('button', { name: 'Next page' }));
      expect(await screen.findByRole('rowheader', { name: emails[22] })).toBeInTheDocument();
      expect(screen.getByText('Page 2')).toBeInTheDocument();
      expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(1 + 3);
      expect(screen.getByRole('button', { name: 'Next page' })).toHaveAttribute(
        'aria-disabled',
        'true',
      );

      // A search that matches nobody says so instead of showing an empty table.
      const input = screen.getByLabelText('Email contains');
      await user.clear(input);
      await user.type(input, `${token}-nobody`);
      await user.click(screen.getByRole('button', { name: 'Search' }));
      expect(
        await screen.findByText(`No user’s email contains “${token}-nobody”.`),
      ).toBeInTheDocument();
    } finally {
      await testDatabase.user.deleteMany({ where: { email: { in: emails } } });
    }
  });

  it('changes a role and disables a user, and the audit log shows both', async () => {
    const admin = await signedInWithRoles(['admin']);
    const target = await createConfirmedUser();
    const targetSession = await signInElsewhere(target);
    const { user } = renderApp('/admin/users');

    const search = await screen.findByRole('search', { name: 'Search users' });
    await user.type(within(search).getByLabelText('Email contains'), target.email);
    await user.click(within(search).getByRole('button', { name: 'Search' }));
    await screen.findByRole('rowheader', { name: target.email });

    // Roles: the client refuses an empty set without asking the server.
    await user.click(screen.getByRole('button', { name: `Change roles of ${target.email}` }));
    let dialog = screen.getByRole('alertdialog', { name: `Roles of ${target.email}` });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByLabelText('Member'));
    await user.click(within(dialog).getByRole('button', { name: 'Save roles' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose at least one role.');
    expect(
      (await testDatabase.user.findUniqueOrThrow({ where: { email: target.email } })).roles,
    ).toEqual(['member']);

    await user.click(within(dialog).getByLabelText('Supervisor'));
    await user.click(within(dialog).getByRole('button', { name: 'Save roles' }));
    expect(
      await screen.findByText(`${target.email} now has the roles: Supervisor.`),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    const afterRoles = await testDatabase.user.findUniqueOrThrow({
      where: { email: target.email },
    });
    expect(afterRoles.roles).toEqual(['supervisor']);
    const row = (await screen.findByRole('rowheader', { name: target.email })).closest('tr');
    await waitFor(() => expect(row).toHaveTextContent('Supervisor'));

    // Disabling asks first, then signs the user out everywhere.
    await user.click(screen.getByRole('button', { name: `Disable ${target.email}` }));
    dialog = screen.getByRole('alertdialog', { name: `Disable ${target.email}?` });
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }));
    const message = await screen.findByText(
      `${target.email} is disabled and was signed out everywhere.`,
    );
    await waitFor(() => expect(message.closest('[tabindex="-1"]')).toHaveFocus());
    expect(screen.getByRole('button', { name: `Enable ${target.email}` })).toBeInTheDocument();
    const afterDisable = await testDatabase.user.findUniqueOrThrow({
      where: { email: target.email },
    });
    expect(afterDisable.status).toBe('disabled');
    const session = await testDatabase.session.findUniqueOrThrow({
      where: { id: targetSession.sessionId },
    });
    expect(session.revokedAt).not.toBeNull();
    const refused = await signInElsewhere(target).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);

    // The user's audit trail, one click away, records who did what.
    await user.click(screen.getByRole('link', { name: `Audit events of ${target.email}` }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    const audit = await screen.findByRole('table', { name: 'Audit events, newest first' });
    const disabled = within(audit).getByRole('rowheader', { name: 'account.disabled' });
    const changed = within(audit).getByRole('rowheader', { name: 'roles.changed' });
    // People are named by their email, not by an id.
    expect(disabled.closest('tr')).toHaveTextContent(admin.email);
    expect(disabled.closest('tr')).toHaveTextContent(target.email);
    expect(changed.closest('tr')).toHaveTextContent('supervisor');
    expect(within(screen.getByRole('search')).getByLabelText('User')).toHaveValue(afterDisable.id);

    // The filter also takes the start of an email address, in any case.
    const userFilter = within(screen.getByRole('search')).getByLabelText('User');
    await user.clear(userFilter);
    await user.type(userFilter, target.email.slice(0, 12).toUpperCase());
    await user.click(within(screen.getByRole('search')).getByRole('button', { name: 'Search' }));
    await waitFor(() =>
      expect(screen.getByRole('table', { name: 'Audit events, newest first' })).toHaveTextContent(
        'account.disabled',
      ),
    );
  });

  it('shows the server’s objection to a filter at the field', async () => {
    await signedInWithRoles(['admin']);
    const { user } = renderApp('/admin/audit');
    const search = await screen.findByRole('search', { name: 'Filter audit events' });
    const type = within(search).getByLabelText('Event type');
    await user.type(type, 'Not A Type');
    await user.click(within(search).getByRole('button', { name: 'Search' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Event type')).toHaveAttribute('aria-invalid', 'true'),
    );
    expect(screen.getByLabelText('Event type')).toHaveAccessibleDescription(
      /Must be an event type such as password.changed./,
    );
    expect(screen.getByLabelText('Event type')).toHaveFocus();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('lists, searches and removes mail suppressions', async () => {
    await signedInWithRoles(['admin']);
    const token = uniqueToken('bounced');
    const kept = `${token}-kept@example.test`;
    const removed = `${token}-removed@example.test`;
    await testDatabase.mailSuppression.createMany({
      data: [
        { email: kept, reason: 'complaint', detail: 'marked as spam' },
        { email: removed, reason: 'bounce', detail: '550 5.1.1 no such user' },
      ],
    });
    try {
      const { user } = renderApp('/admin/mail-suppressions');
      const search = await screen.findByRole('search', { name: 'Search suppressed addresses' });
      await user.type(within(search).getByLabelText('Address contains'), token);
      await user.click(within(search).getByRole('button', { name: 'Search' }));

      const table = await screen.findByRole('table', { name: 'Suppressed addresses' });
      await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(1 + 2));
      expect(within(table).getByText('550 5.1.1 no such user')).toBeInTheDocument();
      expect(within(table).getByText('Complaint')).toBeInTheDocument();

      await user.click(
        screen.getByRole('button', { name: `Remove ${removed} from the suppression list` }),
      );
      const dialog = screen.getByRole('alertdialog', { name: `Remove ${removed} from the list?` });
      await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
      expect(await screen.findByText(`${removed} can receive mail again.`)).toBeInTheDocument();
      await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(1 + 1));
      expect(
        await testDatabase.mailSuppression.findMany({ where: { email: { startsWith: token } } }),
      ).toEqual([expect.objectContaining({ email: kept })]);
    } finally {
      await testDatabase.mailSuppression.deleteMany({ where: { email: { startsWith: token } } });
    }
  });

  it('keeps members out: the guard shows "Not allowed" and the API answers 403', async () => {
    await signedInWithRoles(['member']);
    renderApp('/admin/users');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Not allowed' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();

    const refused = await listUsers({ limit: 20 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(403);
  });
});
