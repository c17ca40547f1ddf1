import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { signedInUser } from '../../../test/accounts';
import { renderApp } from '../../../test/render-app';
import { activateLocale } from '../../lib/i18n';
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
    // Prices are in the server's currency (KRW: whole won), written as English speakers write it.
    expect(within(table).getByText('₩1,000')).toBeInTheDocument();
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
    const idField = await screen.findByLabelText('Id');
    await user.clear(idField);
    await user.type(idField, id);
    await user.type(screen.getByLabelText('Name'), 'Reading lamp');
    await user.type(await screen.findByLabelText('Price (KRW)'), '12,500');
    await user.click(screen.getByRole('button', { name: 'Create item' }));

    expect(await screen.findByText('Saved “Reading lamp”.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Items' })).toBeInTheDocument();
    // The title follows the page in an effect after the navigation.
    await waitFor(() => expect(document.title).toBe('Items · Homeport'));
    expect(await getItem(id)).toMatchObject({
      id,
      name: 'Reading lamp',
      price: 12500,
      currency: 'KRW',
    });
  });

  it('checks obvious mistakes before sending and sends nothing', async () => {
    const { user } = renderApp('/items/new');
    const idField = await screen.findByLabelText('Id');
    const id = (idField as HTMLInputElement).value;
    await user.type(await screen.findByLabelText('Price (KRW)'), '12.50');
    await user.click(screen.getByRole('button', { name: 'Create item' }));

    const name = screen.getByLabelText('Name');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription('Enter a name.');
    // Won have no decimals; the hint states the largest price in won.
    expect(await screen.findByLabelText('Price (KRW)')).toHaveAccessibleDescription(
      'An amount such as 12000; at most ₩2,147,483,647. Enter an amount such as 12000.',
    );
    await waitFor(() => expect(name).toHaveFocus());
    await expectMissing(id);
  });

  it('shows the server’s field errors next to the fields they name', async () => {
    const { user } = renderApp('/items/new');
    const idField = await screen.findByLabelText('Id');
    const id = (idField as HTMLInputElement).value;
    // A blank name passes the client's check; the server's schema rejects it.
    await user.type(screen.getByLabelText('Name'), '   ');
    await user.type(await screen.findByLabelText('Price (KRW)'), '3');
    await user.click(screen.getByRole('button', { name: 'Create item' }));

    const name = screen.getByLabelText('Name');
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription(expect.stringContaining('Must not be blank.'));
    expect(idField).not.toHaveAttribute('aria-invalid');
    expect(await screen.findByLabelText('Price (KRW)')).not.toHaveAttribute('aria-invalid');
    await waitFor(() => expect(name).toHaveFocus());

    // Fixing a field clears its complaint.
    await user.type(name, 'x');
    expect(name).not.toHaveAttribute('aria-invalid');
    await expectMissing(id);
  });

  it('refuses a price over the largest one, stated in the currency, before sending', async () => {
    const { user } = renderApp('/items/new');
    const idField = await screen.findByLabelText('Id');
    const id = (idField as HTMLInputElement).value;
    await user.type(screen.getByLabelText('Name'), 'Too dear');
    await user.type(await screen.findByLabelText('Price (KRW)'), '2147483648');
    await user.click(screen.getByRole('button', { name: 'Create item' }));
    expect(await screen.findByLabelText('Price (KRW)')).toHaveAccessibleDescription(
      expect.stringContaining('Enter at most ₩2,147,483,647.'),
    );
    await expectMissing(id);
  });

  it('never overwrites an existing item from the "New item" form', async () => {
    const id = uniqueId('taken');
    await putItem({ id, name: 'Original desk', price: 90000 });
    const { user } = renderApp('/items/new');
    const idField = await screen.findByLabelText('Id');
    await user.clear(idField);
    await user.type(idField, id);
    await user.type(screen.getByLabelText('Name'), 'Impostor');
    await user.type(await screen.findByLabelText('Price (KRW)'), '1');
    await user.click(screen.getByRole('button', { name: 'Create item' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      `You already have an item with the id "${id}" ("Original desk")`,
    );
    expect(
      within(alert).getByRole('link', { name: 'Edit the existing item instead' }),
    ).toHaveAttribute('href', `/items/${id}/edit`);
    expect(await getItem(id)).toMatchObject({ name: 'Original desk', price: 90000 });
  });

  it('edits an item, keeping its id', async () => {
    const id = uniqueId('edit');
    await putItem({ id, name: 'Old chair', price: 42000 });
    const { user } = renderApp(`/items/${id}/edit`);

    const name = await screen.findByLabelText('Name');
    expect(name).toHaveValue('Old chair');
    expect(await screen.findByLabelText('Price (KRW)')).toHaveValue('42000');
    expect(screen.getByLabelText('Id')).toHaveAttribute('readonly');
    await user.clear(name);
    await user.type(name, 'New chair');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Saved “New chair”.')).toBeInTheDocument();
    expect(await getItem(id)).toMatchObject({ id, name: 'New chair', price: 42000 });
  });

  it('says so when the item to edit does not exist', async () => {
    renderApp(`/items/${uniqueId('missing')}/edit`);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('It may have been deleted.');
    expect(screen.queryByLabelText('Name')).not.toBeInTheDocument();
    // Not a dead end: the way back is right there.
    const back = within(alert).getByRole('link', { name: 'Back to items' });
    expect(back).toHaveAttribute('href', '/items');
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

describe('items page in Korean', () => {
  beforeEach(async () => {
    await activateLocale('ko');
    await signedInUser('ko');
  });

  it('lists, creates and refuses in Korean, with prices in won', async () => {
    await putItem({ id: uniqueId('ko'), name: '책상', price: 12000 });
    const { user } = renderApp('/items');
    const table = await screen.findByRole('table', { name: '항목' });
    await waitFor(() => expect(document.title).toBe('항목 · Homeport'));
    expect(within(table).getByRole('rowheader', { name: '책상' }).closest('tr')).toHaveTextContent(
      '12,000원',
    );
    expect(within(table).getByRole('columnheader', { name: '가격' })).toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: '새 항목' }));
    expect(await screen.findByRole('heading', { level: 1, name: '새 항목' })).toHaveFocus();
    expect(await screen.findByLabelText('가격(KRW)')).toHaveAccessibleDescription(
      '12000처럼 입력하세요. 최대 2,147,483,647원까지 입력할 수 있어요.',
    );
    // The server's field message, in Korean.
    await user.type(screen.getByLabelText('이름'), '   ');
    await user.type(await screen.findByLabelText('가격(KRW)'), '3');
    await user.click(screen.getByRole('button', { name: '항목 만들기' }));
    const name = screen.getByLabelText('이름');
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription('공백만 입력할 수는 없어요.');

    await user.clear(name);
    await user.type(name, '의자');
    const price = await screen.findByLabelText('가격(KRW)');
    await user.clear(price);
    await user.type(price, '45,000');
    await user.click(screen.getByRole('button', { name: '항목 만들기' }));
    expect(await screen.findByText('“의자” 항목을 저장했어요.')).toBeInTheDocument();
    expect(await screen.findByText('45,000원')).toBeInTheDocument();
  });

  it('names the existing item in Korean when a new item would replace it', async () => {
    const id = uniqueId('ko-taken');
    await putItem({ id, name: '원래 책상', price: 1 });
    const { user } = renderApp('/items/new');
    const idField = await screen.findByLabelText('아이디');
    await user.clear(idField);
    await user.type(idField, id);
    await user.type(screen.getByLabelText('이름'), '다른 것');
    await user.type(await screen.findByLabelText('가격(KRW)'), '5');
    await user.click(screen.getByRole('button', { name: '항목 만들기' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`아이디가 “${id}”인 항목(“원래 책상”)이 이미 있어요.`);
    expect(within(alert).getByRole('link', { name: '기존 항목 수정하기' })).toBeInTheDocument();
    expect(await getItem(id)).toMatchObject({ name: '원래 책상', price: 1 });
  });
});
