import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, describe, expect, it } from 'vitest';
import { createConfirmedUser } from '../../../test/accounts';
import { signedInWithRoles, testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';

afterAll(async () => {
  await testDatabase.$disconnect();
});

/** An activated authenticator with recovery codes, as enrolment leaves it (sealed value unused). */
async function enrolled(email: string) {
  const user = await testDatabase.user.findUniqueOrThrow({ where: { email } });
  await testDatabase.mfaTotpFactor.create({
    data: { userId: user.id, secretSealed: 'sealed-elsewhere', activatedAt: new Date() },
  });
  await testDatabase.mfaRecoveryCode.create({
    data: { userId: user.id, codeHash: `hash-${user.id}` },
  });
  return user.id;
}

async function findRow(user: ReturnType<typeof renderApp>['user'], email: string) {
  const search = await screen.findByRole('search', { name: 'Search users' });
  await user.type(within(search).getByLabelText('Email contains'), email);
  await user.click(within(search).getByRole('button', { name: 'Search' }));
  const header = await screen.findByRole('rowheader', { name: email });
  return header.closest('tr') as HTMLElement;
}

describe("an admin's reset of a user's two-step sign-in, against the real API", () => {
  it('shows who has it on, resets it after a confirmation, and the row then says off', async () => {
    await signedInWithRoles(['admin']);
    const target = await createConfirmedUser();
    const userId = await enrolled(target.email);
    const view = renderApp('/admin/users');
    const row = await findRow(view.user, target.email);
    expect(within(row).getByText('On')).toBeInTheDocument();

    await view.user.click(
      within(row).getByRole('button', { name: `Reset two-step sign-in of ${target.email}` }),
    );
    const dialog = await screen.findByRole('alertdialog', {
      name: `Reset two-step sign-in of ${target.email}?`,
    });
    // Cancelling changes nothing.
    await view.user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(await testDatabase.mfaTotpFactor.count({ where: { userId } })).toBe(1);

    await view.user.click(
      within(row).getByRole('button', { name: `Reset two-step sign-in of ${target.email}` }),
    );
    const again = await screen.findByRole('alertdialog');
    await view.user.click(within(again).getByRole('button', { name: 'Reset' }));
    expect(
      await screen.findByText(`Two-step sign-in of ${target.email} is reset; they were emailed.`),
    ).toBeInTheDocument();
    expect(await testDatabase.mfaTotpFactor.count({ where: { userId } })).toBe(0);
    expect(await testDatabase.mfaRecoveryCode.count({ where: { userId } })).toBe(0);
    const audit = await testDatabase.auditEvent.count({
      where: { userId, type: 'mfa.reset_by_admin' },
    });
    expect(audit).toBe(1);
    await waitFor(() => {
      const updated = screen.getByRole('rowheader', { name: target.email }).closest('tr');
      expect(within(updated as HTMLElement).getByText('Off')).toBeInTheDocument();
    });
    expect(
      screen.queryByRole('button', { name: `Reset two-step sign-in of ${target.email}` }),
    ).not.toBeInTheDocument();
  });

  it("says so when the factor is already gone (another admin's reset), and records nothing", async () => {
    await signedInWithRoles(['admin']);
    const target = await createConfirmedUser();
    const userId = await enrolled(target.email);
    const view = renderApp('/admin/users');
    const row = await findRow(view.user, target.email);
    await view.user.click(
      within(row).getByRole('button', { name: `Reset two-step sign-in of ${target.email}` }),
    );
    const dialog = await screen.findByRole('alertdialog');
    await testDatabase.mfaTotpFactor.deleteMany({ where: { userId } });
    await view.user.click(within(dialog).getByRole('button', { name: 'Reset' }));
    expect(await within(dialog).findByText(/Two-step sign-in is not on/)).toBeInTheDocument();
    expect(
      await testDatabase.auditEvent.count({ where: { userId, type: 'mfa.reset_by_admin' } }),
    ).toBe(0);
  });
});
