import { describe, expect, it } from 'vitest';
import {
  contentDisposition,
  MAX_FILENAME_LENGTH,
  objectKey,
  parseStagingKey,
  sanitizeFilename,
  stagingKey,
} from './names.js';

describe('sanitizeFilename', () => {
  it('keeps only the last path segment and never a leading dot', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('..\\..\\windows\\win.ini')).toBe('win.ini');
    expect(sanitizeFilename('../')).toBe('file');
    expect(sanitizeFilename('.htaccess')).toBe('htaccess');
  });

  it('removes NUL, control and bidi-override characters', () => {
    expect(sanitizeFilename('re\u0000port\u0007.pdf')).toBe('report.pdf');
    expect(sanitizeFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFilename('a\r\nb.txt')).toBe('a b.txt');
  });

  it('keeps unicode, normalised to NFC', () => {
    expect(sanitizeFilename('Cafe\u0301 보고서 📄.pdf')).toBe('Café 보고서 📄.pdf');
  });

  it('cuts very long names but keeps the extension', () => {
    const long = `${'가'.repeat(500)}.pdf`;
    const clean = sanitizeFilename(long);
    expect([...clean]).toHaveLength(MAX_FILENAME_LENGTH);
    expect(clean.endsWith('.pdf')).toBe(true);
  });
});

describe('objectKey', () => {
  it('builds server-chosen keys, public ones under public/', () => {
    const base = { userId: 'u1', purpose: 'avatar', id: 'abc', extension: 'png' };
    expect(objectKey({ ...base, public: false })).toBe('users/u1/avatar/abc.png');
    expect(objectKey({ ...base, public: true })).toBe('public/users/u1/avatar/abc.png');
  });

  it('builds staging keys for forms, and reads owner and upload id back from them', () => {
    const id = '3f2a8c1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
    const key = stagingKey({ userId: 'u1', purpose: 'avatar', id, extension: 'png' });
    expect(key).toBe(`staging/users/u1/avatar/${id}.png`);
    expect(parseStagingKey(key)).toEqual({ userId: 'u1', id });
    for (const other of [`users/u1/avatar/${id}.png`, `staging/users/u1/avatar/x.png`, '']) {
      expect(parseStagingKey(other)).toBeUndefined();
    }
  });

  it('refuses a user id that could escape the prefix', () => {
    for (const userId of ['../x', 'a/b', '']) {
      expect(() =>
        objectKey({ userId, purpose: 'avatar', id: 'x', extension: 'png', public: false }),
      ).toThrow();
    }
  });
});

describe('contentDisposition', () => {
  it('carries the original name as RFC 5987 filename* with an ASCII fallback', () => {
    expect(contentDisposition('résumé "final".pdf', 'attachment')).toBe(
      `attachment; filename="r_sum_ _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
    expect(contentDisposition("it's (1).txt", 'inline')).toBe(
      `inline; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`,
    );
  });
});
