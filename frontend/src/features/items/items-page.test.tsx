import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { signedInUser } from '../../../test/accounts';
import { renderApp } from '../../../test/render-app';
import { ApiError } from '../../lib/problem';
import { getItem } from './api/get-item';
import { putItem } from './api/put-item';

function uniqueId(prefix: string) {
  return `${prefix}-${crypto.getRandomValues(new Uint32Array(2)).join('')}`;
}

async function expectMissing(id: string) {
  const error = await getItem(id).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).code).toBe('item_not_found');
}

describe('items page against the real API', () => {
  // Items belong to their owner: every test is a new person with an empty list.
  beforeEach(async () => {
    await signedInUser();
  });

  it('lists items and pages through them with the cursor', async () => {
    // Ids starting with "01-" sort before the other tests' (bar one "00-"), so these fill page 1.
    const prefix = uniqueId('01');
    const ids = Array.from(
      { length: 23 },
      (_, index) => `${prefix}-${String(index).padStart(2, '0')}`,
    );
    for (const [index, id] of ids.entries()) {
      await putItem({ id, name: `Paged ${index}`, price: 1000 + index });
    }
    const { user } = renderApp('/items');

    const table = await screen.findByRole('table');
    expect(within(table).getByRole('rowheader', { name: 'Paged 0' })).toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 20);
    expect(within(table).getByText('10.00')).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();
    const previous = screen.getByRole('button', { name: 'Previous page' });
    expect(previous).toHaveAttribute('aria-disabled', 'true');

    expect(within(table).queryByRole('rowheader', { name: 'Paged 22' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('rowheader', { name: 'Paged 22' })).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(screen.queryByRole('rowheader', { name: 'Paged 0' })).not.toBeInTheDocument();

    await user.click(previous);
    expect(await screen.findByRole('rowheader', { name: 'Paged 0' })).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();
  });

  it('creates an item from the form and shows it in the list', async () => {
    const { user } = renderApp('/items/new');
    const heading = await screen.findByRole('heading', { level: 1, name: 'New item' });
    expect(heading).toHaveFocus();

    const id = uniqueId('created');
    const idField = screen.getByLabelText('Id');
    await user.clear(idField);
    await user.type(idField, id);
    await user.type(screen.getByLabelText('Name'), 'Reading lamp');
    await user.type(screen.getByLabelText('Price'), '12.5');
    await user.click(screen.getByRole('button', { name: 'Create item' }));

    expect(await screen.findByText('Saved “Reading lamp”.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Items' })).toBeInTheDocument();
    expect(await getItem(id)).toMatchObject({ id, name: 'Reading lamp', price: 1250 });
  });

  it('checks obvious mistakes before sending and sends nothing', async () => {
    const { user } = renderApp('/items/new');
    const idField = await screen.findByLabelText('Id');
    const id = (idField as HTMLInputElement).value;
    await user.type(screen.getByLabelText('Price'), 'twelve');
    await user.click(screen.getByRole('button', { name: 'Create item' }));

    const name = screen.getByLabelText('Name');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription('Enter a name.');
    expect(screen.getByLabelText('Price')).toHaveAccessibleDescription(
      expect.stringContaining('Enter an amount such as 12 or 12.50.'),
    );
    await waitFor(() => expect(name).toHaveFocus());
    await expectMissing(id);
  });

  it('shows the server’s field errors next to the fields they name', async () => {
    const { user } = renderApp('/items/new');
    const idField = await screen.findByLabelText('Id');
    const id = (idField as HTMLInputElement).value;
    // Both pass the client's checks; the server's schema rejects them (blank name, price too big).
    await user.type(screen.getByLabelText('Name'), '   ');
    await user.type(screen.getByLabelText('Price'), '21474836.48');
    await user.click(screen.getByRole('button', { name: 'Create item' }));

    const price = screen.getByLabelText('Price');
    await waitFor(() => expect(price).toHaveAttribute('aria-invalid', 'true'));
    expect(price).toHaveAccessibleDescription(
      expect.stringContaining('Must be at most 2147483647.'),
    );
    const name = screen.getByLabelText('Name');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(expect.stringContaining('Must not be blank.'));
    expect(idField).not.toHaveAttribute('aria-invalid');
    await waitFor(() => expect(name).toHaveFocus());

    // Fixing a field clears its complaint; the server's answer stands until the next try.
    await user.clear(price);
    await user.type(price, '3');
    expect(price).not.toHaveAttribute('aria-invalid');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    await expectMissing(id);
  });

  it('edits an item, keeping its id', async () => {
    const id = uniqueId('edit');
    await putItem({ id, name: 'Old chair', price: 4200 });
    const { user } = renderApp(`/items/${id}/edit`);

    const name = await screen.findByLabelText('Name');
    expect(name).toHaveValue('Old chair');
    expect(screen.getByLabelText('Price')).toHaveValue('42.00');
    expect(screen.getByLabelText('Id')).toHaveAttribute('readonly');
    await user.clear(name);
    await user.type(name, 'New chair');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Saved “New chair”.')).toBeInTheDocument();
    expect(await getItem(id)).toMatchObject({ id, name: 'New chair', price: 4200 });
  });

  it('says so when the item to edit does not exist', async () => {
    renderApp(`/items/${uniqueId('missing')}/edit`);
    expect(await screen.findByRole('alert')).toHaveTextContent('Item not found.');
    expect(screen.queryByLabelText('Name')).not.toBeInTheDocument();
  });

  it('deletes only after confirmation, with focus handled by keyboard', async () => {
    // Sorts first, so it is on page 1 whatever other tests created.
    const id = uniqueId('00');
    await putItem({ id, name: `Doomed ${id}`, price: 100 });
    const { user } = renderApp('/items');

    const deleteButton = await screen.findByRole('button', { name: `Delete Doomed ${id}` });
    await user.click(deleteButton);
    let dialog = screen.getByRole('alertdialog', { name: 'Delete this item?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(deleteButton).toHaveFocus();
    expect(await getItem(id)).toMatchObject({ id });

    await user.click(deleteButton);
    dialog = screen.getByRole('alertdialog');
    // Tab stays inside the dialog.
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Delete' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(await screen.findByText(`Deleted “Doomed ${id}”.`)).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.queryByRole('rowheader', { name: `Doomed ${id}` })).not.toBeInTheDocument();
    await expectMissing(id);
  });

  it('shows a not-found page inside the shell for unknown addresses', async () => {
    renderApp('/no-such-page');
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toHaveFocus();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });
});
