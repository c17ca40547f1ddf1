import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInWithRoles, testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';
import { apiClient } from '../../lib/api-client';
import { dataOrThrow } from '../../lib/problem';
import { listWebhooks } from './api/list-webhooks';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback receiver answering 200 and keeping what it got (the test backend allows it). */
const received: Received[] = [];
const receiver = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    body += chunk;
  });
  request.on('end', () => {
    received.push({ headers: request.headers, body });
    response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
  });
});
let receiverUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/homeport`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await testDatabase.$disconnect();
});

/** The verification snippet of docs/tasks.md ("Webhooks"), as a receiver writes it. */
function verifies(secret: string, { headers, body }: Received) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(
    `v1,${createHmac('sha256', key)
      .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`)
      .digest('base64')}`,
  );
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some(
      (given) => given.length === expected.length && timingSafeEqual(Buffer.from(given), expected),
    );
}

async function supervisorBoard(name: string) {
  await signedInWithRoles(['supervisor']);
  const key = `W${crypto.getRandomValues(new Uint32Array(1))[0]}`.slice(0, 10);
  return dataOrThrow(await apiClient.POST('/api/boards', { body: { key, name } }));
}

async function webhooksSection(key: string, name: string) {
  const view = renderApp(`/boards/${key}/settings`);
  expect(
    await screen.findByRole('heading', { level: 1, name: `Settings of ${name}` }),
  ).toBeInTheDocument();
  const section = screen.getByRole('region', { name: 'Webhooks' });
  expect(await within(section).findByText('No endpoints yet.')).toBeInTheDocument();
  return { ...view, section };
}

describe('board settings: webhooks against the real API', () => {
  it('refuses bad URLs and an empty filter beside the form, creating nothing', async () => {
    const board = await supervisorBoard('Hook refusals');
    const { user, section } = await webhooksSection(board.key, 'Hook refusals');
    const form = within(section).getByRole('form', { name: 'Add an endpoint' });
    const url = within(form).getByLabelText('Endpoint URL');
    const add = within(form).getByRole('button', { name: 'Add endpoint' });

    await user.click(add);
    expect(await within(form).findByText('Enter the endpoint’s URL.')).toBeInTheDocument();
    expect(url).toHaveFocus();

    await user.type(url, 'hooks.example.com/path');
    await user.click(add);
    expect(
      await within(form).findByText('Enter a full URL, e.g. https://example.com/hooks/homeport.'),
    ).toBeInTheDocument();

    // Refused by the server's target guard, told in the user's words at the field.
    await user.clear(url);
    await user.type(url, 'ftp://files.example.com/drop');
    await user.click(add);
    expect(await within(form).findByText('The URL must start with https://.')).toBeInTheDocument();
    expect(url).toHaveAttribute('aria-invalid', 'true');

    await user.clear(url);
    await user.type(url, 'https://deploy:hunter2@127.0.0.1/hook');
    await user.click(add);
    expect(
      await within(form).findByText('The URL must not contain a user name or password.'),
    ).toBeInTheDocument();

    await user.clear(url);
    await user.type(url, receiverUrl);
    await user.click(within(form).getByLabelText('All events'));
    await user.click(add);
    expect(await within(form).findByText('Choose at least one event.')).toBeInTheDocument();

    expect(await listWebhooks(board.id)).toEqual([]);
    expect(within(section).queryByText(/you will not see it again/)).not.toBeInTheDocument();
  }, 60_000);

  it('creates an endpoint, shows its secret once, delivers a signed test event, rotates, disables and deletes', async () => {
    const board = await supervisorBoard('Hook board');
    const { user, section } = await webhooksSection(board.key, 'Hook board');
    const form = within(section).getByRole('form', { name: 'Add an endpoint' });

    await user.type(within(form).getByLabelText('Endpoint URL'), receiverUrl);
    await user.click(within(form).getByLabelText('All events'));
    await user.click(within(form).getByLabelText('task_created'));
    await user.click(within(form).getByLabelText('comment_added'));
    await user.click(within(form).getByRole('button', { name: 'Add endpoint' }));

    const notice = await within(section).findByText(`Endpoint ${receiverUrl} added`);
    const secretBox = notice.closest('.webhook-secret') as HTMLElement;
    expect(
      within(secretBox).getByText('Copy the signing secret now: you will not see it again.'),
    ).toBeInTheDocument();
    const secret = (within(secretBox).getByLabelText('Signing secret') as HTMLInputElement).value;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    await user.click(within(secretBox).getByRole('button', { name: 'Copy secret' }));
    expect(await within(secretBox).findByText('Copied.')).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(secret);

    const [stored] = await listWebhooks(board.id);
    expect(stored).toMatchObject({
      url: receiverUrl,
      eventTypes: ['task_created', 'comment_added'],
      enabled: true,
    });
    expect(JSON.stringify(stored)).not.toContain(secret);

    // Once dismissed, the secret is nowhere on the page.
    await user.click(within(secretBox).getByRole('button', { name: 'I saved it' }));
    expect(screen.queryByDisplayValue(secret)).not.toBeInTheDocument();

    const endpoint = within(section).getByRole('article', { name: `Endpoint ${receiverUrl}` });
    expect(within(endpoint).getByText('Enabled')).toBeInTheDocument();
    expect(within(endpoint).getByText('Receives: task_created, comment_added')).toBeInTheDocument();
    expect(within(endpoint).getAllByText('No deliveries yet.').length).toBeGreaterThan(0);

    const before = received.length;
    await user.click(within(endpoint).getByRole('button', { name: 'Send test event' }));
    expect(await within(endpoint).findByText('A test event is on its way.')).toBeInTheDocument();
    const table = await within(endpoint).findByRole('table', {
      name: `Deliveries to ${receiverUrl}`,
    });
    await waitFor(() => expect(within(table).getByText('Succeeded')).toBeInTheDocument(), {
      timeout: 15_000,
    });
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    expect(within(row).getByText('webhook.test')).toBeInTheDocument();
    expect(within(row).getByText('200')).toBeInTheDocument();
    expect(within(row).getByText('1')).toBeInTheDocument();
    expect(
      within(endpoint).getByText(/Last delivery: Succeeded \(response 200\)/),
    ).toBeInTheDocument();
    const delivery = received.at(-1) as Received;
    expect(received.length).toBe(before + 1);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'webhook.test' });
    expect(verifies(secret, delivery)).toBe(true);
    expect(verifies('whsec_c29tZXRoaW5nIGVsc2UgZW50aXJlbHkh', delivery)).toBe(false);

    await user.click(within(endpoint).getByRole('button', { name: 'Rotate secret' }));
    const rotated = await within(section).findByText(`New secret for ${receiverUrl}`);
    const rotatedBox = rotated.closest('.webhook-secret') as HTMLElement;
    const newSecret = (within(rotatedBox).getByLabelText('Signing secret') as HTMLInputElement)
      .value;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    expect(within(rotatedBox).getByText(/previous secret keeps signing/)).toBeInTheDocument();
    expect(
      await within(endpoint).findByText('The previous secret also signs until', { exact: false }),
    ).toBeInTheDocument();

    await user.click(within(endpoint).getByRole('button', { name: 'Disable' }));
    expect(
      await within(endpoint).findByText(
        'The endpoint is disabled; new deliveries wait until it is enabled.',
      ),
    ).toBeInTheDocument();
    expect(await within(endpoint).findByText('Disabled')).toBeInTheDocument();
    expect((await listWebhooks(board.id))[0]?.enabled).toBe(false);
    expect(within(endpoint).getByRole('button', { name: 'Enable' })).toBeInTheDocument();

    await user.click(within(endpoint).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('alertdialog', {
      name: `Delete the endpoint ${receiverUrl}?`,
    });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(await listWebhooks(board.id)).toHaveLength(1);

    await user.click(within(endpoint).getByRole('button', { name: 'Delete' }));
    await user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );
    expect(
      await within(section).findByText(`The endpoint ${receiverUrl} was deleted.`),
    ).toBeInTheDocument();
    expect(await within(section).findByText('No endpoints yet.')).toBeInTheDocument();
    expect(await listWebhooks(board.id)).toEqual([]);
  }, 90_000);
});
