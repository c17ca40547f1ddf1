import { screen, within } from '@testing-library/react';
import { afterAll, describe, expect, it } from 'vitest';
import { signedInWithRoles, testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';

afterAll(async () => {
  await testDatabase.$disconnect();
});

function uniqueName(prefix: string) {
  return `${prefix}-${crypto.getRandomValues(new Uint32Array(2)).join('')}`;
}

describe('service clients page against the real API', () => {
  it('creates a client, shows its secret once, rotates, revokes and disables it', async () => {
    const admin = await signedInWithRoles(['admin']);
    const name = uniqueName('warehouse');
    const { user } = renderApp('/admin/service-clients');
    expect(await screen.findByRole('heading', { level: 1, name: 'Service clients' })).toHaveFocus();

    const form = screen.getByRole('form', { name: 'Create client' });
    await user.type(within(form).getByLabelText('Name'), name);
    // No scope chosen: the form says so and sends nothing.
    await user.click(within(form).getByLabelText('items:read'));
    await user.click(within(form).getByRole('button', { name: 'Create client' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('Choose at least one scope.');
    await user.click(within(form).getByLabelText('items:write'));
    await user.click(within(form).getByRole('button', { name: 'Create client' }));

    const secret = await screen.findByTestId('client-secret');
    expect(secret.textContent).toMatch(/^hps_[A-Za-z0-9_-]{43}$/);
    const stored = await testDatabase.serviceClient.findFirstOrThrow({
      where: { name, ownerId: admin.id },
      include: { secrets: true },
    });
    expect(stored.allowedScopes).toEqual(['items:write']);
    expect(stored.secrets[0]?.secretHash).not.toContain(secret.textContent ?? '');
    await user.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('client-secret')).toBeNull();

    const card = await screen.findByRole('article', { name });
    expect(within(card).getByText(stored.id)).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: `New secret for ${name}` }));
    expect(await screen.findByTestId('client-secret')).toBeInTheDocument();
    const secrets = within(card).getByRole('table', { name: `Secrets of ${name}` });
    await within(card).findByText('Two secrets are live: revoke one before adding another.');
    expect(within(card).getByRole('button', { name: `New secret for ${name}` })).toBeDisabled();
    expect(within(secrets).getAllByText('Live')).toHaveLength(2);

    const first = stored.secrets[0]?.hint ?? '';
    await user.click(
      within(secrets).getByRole('button', { name: `Revoke the secret ending in ${first}` }),
    );
    expect(
      await screen.findByText(`The secret ending in ${first} is revoked.`),
    ).toBeInTheDocument();
    expect(await within(secrets).findByText('Revoked')).toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: `Disable ${name}` }));
    const dialog = screen.getByRole('alertdialog', { name: `Disable ${name}?` });
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }));
    expect(await screen.findByText(`${name} is disabled.`)).toBeInTheDocument();
    const after = await testDatabase.serviceClient.findUniqueOrThrow({ where: { id: stored.id } });
    expect(after.disabledAt).not.toBeNull();
    expect(within(card).queryByRole('button', { name: `Disable ${name}` })).toBeNull();
  });

  it('shows the server’s refusal of a lifetime over an hour', async () => {
    await signedInWithRoles(['admin']);
    const name = uniqueName('too-long');
    const { user } = renderApp('/admin/service-clients');
    const form = await screen.findByRole('form', { name: 'Create client' });
    await user.type(within(form).getByLabelText('Name'), name);
    const lifetime = within(form).getByLabelText('Token lifetime (seconds)');
    await user.clear(lifetime);
    await user.type(lifetime, '7200');
    // The browser's own range check is a comfort; the server is the truth.
    form.setAttribute('novalidate', '');
    await user.click(within(form).getByRole('button', { name: 'Create client' }));
    expect(await within(form).findByText('Client not created')).toBeInTheDocument();
    expect(await testDatabase.serviceClient.count({ where: { name } })).toBe(0);
  });
});
