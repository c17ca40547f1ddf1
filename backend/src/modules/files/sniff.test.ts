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
