import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedInUser } from '../../../test/accounts';
import { renderApp } from '../../../test/render-app';
import { activateLocale } from '../../lib/i18n';
import { ApiError } from '../../lib/problem';
import { getFileDownload } from './api/get-file-download';
import { listFiles } from './api/list-files';

/** `size` bytes that start with the PNG signature: enough for the server's content check. */
function pngBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size).fill(0x2a);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return bytes;
}

function uniqueName(stem: string, extension: string) {
  return `${stem}-${crypto.getRandomValues(new Uint32Array(1))[0]}.${extension}`;
}

async function myFiles() {
  return (await listFiles({ limit: 100 })).items;
}

/** Links the page clicks to start a download: recorded, and kept from navigating jsdom. */
let downloads: string[] = [];
function recordDownload(event: MouseEvent) {
  const link = (event.target as Element | null)?.closest('a');
  if (link?.hasAttribute('download')) {
    event.preventDefault();
    downloads.push(link.href);
  }
}

beforeEach(async () => {
  downloads = [];
  document.addEventListener('click', recordDownload);
  // Files belong to their owner: every test is a new person with no files.
  await signedInUser();
});

afterEach(() => {
  document.removeEventListener('click', recordDownload);
});

describe('files page against the real API and S3 server', () => {
  it('uploads a picked file with progress to 100 %, lists it and downloads its bytes', async () => {
    const name = uniqueName('notes', 'txt');
    const text = `harbour log ${'x'.repeat(2000)}\n`;
    const view = renderApp('/files');
    expect(await screen.findByText('No files yet.')).toBeInTheDocument();

    await view.user.upload(
      screen.getByLabelText('Choose files'),
      new File([text], name, { type: 'text/plain' }),
    );

    const uploads = screen.getByRole('list', { name: 'Uploads' });
    await within(uploads).findByText('Uploaded');
    const bar = within(uploads).getByRole('progressbar', { name: `Upload of ${name}` });
    expect(bar).toHaveAttribute('value', String(text.length));
    expect(bar).toHaveAttribute('max', String(text.length));
    expect(within(uploads).getByText(/\(100%\)/)).toBeInTheDocument();

    const table = await screen.findByRole('table');
    expect(await within(table).findByRole('rowheader', { name })).toBeInTheDocument();
    const [stored] = await myFiles();
    expect(stored).toMatchObject({ filename: name, size: text.length, purpose: 'attachment' });

    await view.user.click(screen.getByRole('button', { name: `Download ${name}` }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    const response = await fetch(downloads[0] as string);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(text);
    expect(response.headers.get('content-disposition')).toContain(name);
  });

  it('uploads a dropped file', async () => {
    const name = uniqueName('scan', 'pdf');
    renderApp('/files');
    const zone = await screen.findByRole('group', { name: 'Upload files' });
    const body = '%PDF-1.7\n% a page\n';
    fireEvent.drop(zone, {
      dataTransfer: {
        files: [new File([body], name, { type: 'application/pdf' })],
        types: ['Files'],
      },
    });
    expect(await screen.findByRole('rowheader', { name })).toBeInTheDocument();
    expect((await myFiles()).map((file) => file.filename)).toEqual([name]);
  });

  it('refuses a type the server does not accept before sending it, and creates nothing', async () => {
    const name = uniqueName('setup', 'exe');
    const view = renderApp('/files');
    await view.user.upload(
      await screen.findByLabelText('Choose files'),
      new File(['MZ\u0090\u0000'], name, { type: 'application/x-msdownload' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`“${name}” is not a kind of file accepted here.`);
    // The accepted types come from the server's answer, named as people know them.
    expect(alert).toHaveTextContent(
      /Accepted: PNG, JPEG, GIF, WebP, PDF, .*, OpenDocument, Hangul \(HWP\), or Hangul \(HWPX\)\./,
    );
    expect(alert).not.toHaveTextContent('application/');
    expect(screen.getByText('Not uploaded')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(await myFiles()).toEqual([]);
  });

  it('shows the server’s rejection when the bytes do not match the declared type (422)', async () => {
    const name = uniqueName('holiday', 'png');
    const view = renderApp('/files');
    await view.user.upload(
      await screen.findByLabelText('Choose files'),
      new File(['this is text, not a picture'], name, { type: 'image/png' }),
    );
    const alert = await screen.findByRole('alert');
    // The bytes went to S3 (so the form was accepted); the complete call's checks refused them.
    expect(alert).toHaveTextContent(`“${name}”: The file's content is not image/png.`);
    expect(await myFiles()).toEqual([]);
  });

  it('cancels an upload in flight; nothing is recorded', async () => {
    const name = uniqueName('archive', 'zip');
    const zip = new Uint8Array(24 * 1024 * 1024);
    zip.set([0x50, 0x4b, 0x03, 0x04]);
    const view = renderApp('/files');
    await view.user.upload(
      await screen.findByLabelText('Choose files'),
      new File([zip], name, { type: 'application/zip' }),
    );
    await view.user.click(await screen.findByRole('button', { name: `Cancel upload of ${name}` }));
    expect(await screen.findByText('Cancelled')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: `Dismiss ${name}` })).toBeInTheDocument();
    expect(await myFiles()).toEqual([]);
  });

  it('deletes a file after confirmation', async () => {
    const name = uniqueName('minutes', 'md');
    const view = renderApp('/files');
    await view.user.upload(
      await screen.findByLabelText('Choose files'),
      new File(['# Minutes\n'], name, { type: 'text/markdown' }),
    );
    const row = await screen.findByRole('rowheader', { name });
    const [stored] = await myFiles();

    const remove = screen.getByRole('button', { name: `Delete ${name}` });
    await view.user.click(remove);
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this file?' });
    await view.user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(row).toBeInTheDocument();
    expect(remove).toHaveFocus();

    await view.user.click(remove);
    await view.user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );
    expect(await screen.findByText(`Deleted “${name}”.`)).toBeInTheDocument();
    await waitFor(() => expect(row).not.toBeInTheDocument());
    expect(await myFiles()).toEqual([]);
    const gone = await getFileDownload(stored?.id as string).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(ApiError);
    expect((gone as ApiError).code).toBe('file_not_found');
  });
});

describe('avatar on the account page', () => {
  it('uploads a picture and shows it as the current avatar', async () => {
    const view = renderApp('/account');
    expect(await screen.findByText('No avatar yet.')).toBeInTheDocument();
    await view.user.upload(
      screen.getByLabelText('Choose a picture'),
      new File([pngBytes(300)], 'me.png', { type: 'image/png' }),
    );
    const image = await screen.findByRole('img', { name: 'Your current avatar' });
    const [avatar] = await myFiles();
    expect(avatar).toMatchObject({ purpose: 'avatar', filename: 'me.png' });
    expect(image).toHaveAttribute('src', avatar?.publicUrl);
  });

  it('refuses a picture over the limit before sending it, and creates nothing', async () => {
    renderApp('/account');
    const zone = await screen.findByRole('group', { name: 'Upload an avatar' });
    // One byte over the avatar limit (5 MiB by default).
    const big = new File([pngBytes(5 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' });
    fireEvent.drop(zone, { dataTransfer: { files: [big], types: ['Files'] } });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('“huge.png” is too large (5 MB). The limit here is 5 MB.');
    expect(await myFiles()).toEqual([]);
  });
});

/** The start of an HWPX package: a ZIP whose first entry is the stored `mimetype`. */
function hwpxBytes(): Uint8Array<ArrayBuffer> {
  const mimetype = 'application/hwp+zip';
  const bytes = new Uint8Array(30 + 8 + mimetype.length + 64);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x04034b50, true);
  view.setUint16(4, 20, true);
  view.setUint32(18, mimetype.length, true);
  view.setUint32(22, mimetype.length, true);
  view.setUint16(26, 8, true);
  bytes.set(new TextEncoder().encode(`mimetype${mimetype}`), 30);
  return bytes;
}

describe('files page in Korean', () => {
  beforeEach(async () => {
    await activateLocale('ko');
    await signedInUser('ko');
  });

  it('uploads a Hangul document the browser gives no type, and lists it in Korean', async () => {
    const name = uniqueName('보고서', 'hwpx');
    const view = renderApp('/files');
    expect(await screen.findByText('아직 파일이 없어요.')).toBeInTheDocument();
    await waitFor(() => expect(document.title).toBe('파일 · Homeport'));
    // Browsers often leave File.type empty for .hwpx: the extension names it.
    await view.user.upload(screen.getByLabelText('파일 선택'), new File([hwpxBytes()], name));
    const uploads = screen.getByRole('list', { name: '업로드' });
    await within(uploads).findByText('올렸어요');
    expect(
      within(uploads).getByText(/^[\d.]+바이트 중 [\d.]+바이트 \(100%\)$/),
    ).toBeInTheDocument();
    const row = (await screen.findByRole('rowheader', { name })).closest('tr');
    expect(row).toHaveTextContent('첨부 파일');
    expect((await myFiles()).map((file) => file.contentType)).toEqual(['application/hwp+zip']);
  });

  it('names refused types and the accepted ones in Korean', async () => {
    const name = uniqueName('setup', 'exe');
    const view = renderApp('/files');
    await view.user.upload(
      await screen.findByLabelText('파일 선택'),
      new File(['MZ\u0090\u0000'], name, { type: 'application/x-msdownload' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`“${name}”은(는) 여기에 올릴 수 없는 종류의 파일이에요.`);
    expect(alert).toHaveTextContent(
      /올릴 수 있는 파일: PNG, JPEG, .*한글\(HWP\) 또는 한글\(HWPX\)/,
    );
    expect(screen.getByText('올리지 못했어요')).toBeInTheDocument();
  });
});
