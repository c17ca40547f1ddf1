import { randomUUID } from 'node:crypto';
import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, describe, expect, it } from 'vitest';
import { signedInWithRoles, testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';

afterAll(async () => {
  await testDatabase.$disconnect();
});

let activity = BigInt(Date.now()) * 1000n;

/** A board and notifications for `userId`, as the worker's feed consumer writes them. */
async function seedNotifications(userId: string, titles: string[]) {
  const key = `N${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  const board = await testDatabase.board.create({ data: { key, name: 'Notified board' } });
  for (const [index, title] of titles.entries()) {
    activity += 1n;
    await testDatabase.notification.create({
      data: {
        id: randomUUID(),
        userId,
        activityId: activity,
        boardId: board.id,
        category: 'assigned',
        type: 'task_created',
        taskNumber: index + 1,
        taskTitle: title,
        inApp: true,
        createdAt: new Date(Date.now() - (titles.length - index) * 1000),
      },
    });
  }
  return key;
}

describe('notification bell and centre against the real API', () => {
  it('shows the unread count, lists notifications with task links and marks all read', async () => {
    const me = await signedInWithRoles(['member']);
    const key = await seedNotifications(me.id, ['Write the plan', 'Ship it']);
    const { user } = renderApp('/');

    const bell = await screen.findByRole('button', { name: 'Notifications, 2 unread' });
    await user.click(bell);
    const list = await screen.findByRole('list', { name: 'Your notifications' });
    const links = within(list).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      `/boards/${key}/tasks/2`,
      `/boards/${key}/tasks/1`,
    ]);
    expect(links[0]).toHaveTextContent(`${key}-2 Ship it`);

    await user.click(within(list).getAllByRole('button', { name: 'Mark read' })[0] as HTMLElement);
    expect(
      await screen.findByRole('button', { name: 'Notifications, 1 unread' }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Mark all read' }));
    expect(
      await screen.findByRole('button', { name: 'Notifications, none unread' }),
    ).toBeInTheDocument();
    expect(await testDatabase.notification.count({ where: { userId: me.id, readAt: null } })).toBe(
      0,
    );
  });
});

describe('notification settings on the account page', () => {
  it('shows the server error for a bad time zone, then saves', async () => {
    const me = await signedInWithRoles(['member']);
    const { user } = renderApp('/account');

    const email = await screen.findByRole('checkbox', { name: 'Status change by email' });
    expect(email).not.toBeChecked();
    await user.click(email);
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'When to email Status change' }),
      'hourly',
    );
    const zone = screen.getByLabelText('Time zone');
    await user.clear(zone);
    await user.type(zone, 'Nowhere/Atlantis');
    await user.click(screen.getByRole('button', { name: 'Save notification settings' }));
    await waitFor(() => expect(zone).toHaveAttribute('aria-invalid', 'true'));
    expect(zone).toHaveAccessibleDescription('Enter a time zone name such as Asia/Seoul.');
    expect(await testDatabase.notificationPreference.count({ where: { userId: me.id } })).toBe(0);

    await user.clear(zone);
    await user.type(zone, 'Asia/Seoul');
    await user.click(screen.getByRole('button', { name: 'Save notification settings' }));
    expect(await screen.findByText('Notification settings saved.')).toBeInTheDocument();
    const saved = await testDatabase.notificationPreference.findUniqueOrThrow({
      where: { userId: me.id },
    });
    expect((saved.events as Record<string, unknown>).status).toEqual({
      inApp: true,
      email: true,
      timing: 'hourly',
    });
    const profile = await testDatabase.profile.findUnique({ where: { userId: me.id } });
    expect(profile?.timeZone).toBe('Asia/Seoul');
  });
});
