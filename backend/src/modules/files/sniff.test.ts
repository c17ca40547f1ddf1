import { describe, expect, it } from 'vitest';
import { bytesMatchType } from './sniff.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1');
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0]);
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);

describe('bytesMatchType', () => {
  it('accepts files whose signature matches the declared type', () => {
    expect(bytesMatchType('image/png', PNG)).toBe(true);
    expect(bytesMatchType('image/jpeg', JPEG)).toBe(true);
    expect(bytesMatchType('image/gif', Buffer.from('GIF89a....'))).toBe(true);
    expect(bytesMatchType('image/webp', Buffer.from('RIFF\x10\0\0\0WEBPVP8 ', 'latin1'))).toBe(
      true,
    );
    expect(bytesMatchType('application/pdf', PDF)).toBe(true);
    expect(
      bytesMatchType(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        ZIP,
      ),
    ).toBe(true);
    expect(bytesMatchType('text/plain', Buffer.from('hello, 세계\n'))).toBe(true);
  });

  it('rejects a mismatch, an executable posing as anything, and empty content', () => {
    expect(bytesMatchType('image/png', JPEG)).toBe(false);
    expect(bytesMatchType('application/pdf', PNG)).toBe(false);
    expect(bytesMatchType('image/png', ELF)).toBe(false);
    expect(bytesMatchType('text/plain', ELF)).toBe(false);
    expect(bytesMatchType('text/plain', Buffer.from('MZ\x90\0', 'latin1'))).toBe(false);
    expect(bytesMatchType('text/plain', Buffer.from([0x61, 0, 0x62]))).toBe(false);
    expect(bytesMatchType('text/csv', Buffer.from([0xc3, 0x28]))).toBe(false);
    expect(bytesMatchType('image/png', Buffer.alloc(0))).toBe(false);
    expect(bytesMatchType('application/x-msdownload', ELF)).toBe(false);
  });

  it('accepts text whose prefix ends inside a multi-byte character', () => {
    const text = Buffer.from('보고서');
    expect(bytesMatchType('text/plain', text.subarray(0, text.length - 1))).toBe(true);
  });
});

/** A ZIP's first local file header with `content` stored (not compressed), as packages write it. */
function zipStartingWith(name: string, content: string, compression = 0): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(compression, 8);
  header.writeUInt32LE(content.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, Buffer.from(name), Buffer.from(content), Buffer.alloc(16)]);
}

describe('Hangul documents', () => {
  const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
  const HWPX = zipStartingWith('mimetype', 'application/hwp+zip');

  it('accepts HWP 5.0 by its OLE compound-file signature', () => {
    expect(bytesMatchType('application/x-hwp', OLE)).toBe(true);
    expect(bytesMatchType('application/vnd.hancom.hwp', OLE)).toBe(true);
    expect(bytesMatchType('application/x-hwp', PDF)).toBe(false);
    expect(bytesMatchType('application/x-hwp', HWPX)).toBe(false);
  });

  it('accepts HWPX only when the ZIP’s first entry is the mimetype application/hwp+zip', () => {
    expect(bytesMatchType('application/hwp+zip', HWPX)).toBe(true);
    expect(bytesMatchType('application/vnd.hancom.hwpx', HWPX)).toBe(true);
    // Any other ZIP, another package's mimetype, a compressed mimetype, or an OLE file: refused.
    expect(bytesMatchType('application/hwp+zip', ZIP)).toBe(false);
    expect(
      bytesMatchType(
        'application/hwp+zip',
        zipStartingWith('mimetype', 'application/vnd.oasis.opendocument.text'),
      ),
    ).toBe(false);
    expect(
      bytesMatchType('application/hwp+zip', zipStartingWith('mimetype', 'application/hwp+zip', 8)),
    ).toBe(false);
    expect(
      bytesMatchType('application/hwp+zip', zipStartingWith('Contents/x', 'application/hwp+zip')),
    ).toBe(false);
    expect(bytesMatchType('application/hwp+zip', OLE)).toBe(false);
  });
});
