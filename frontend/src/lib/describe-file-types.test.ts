import { describe, expect, it } from 'vitest';
import { declaredType, describeFileTypes } from './describe-file-types';

const english = (values: readonly string[]) =>
  new Intl.ListFormat('en', { type: 'disjunction' }).format(values);
const korean = (values: readonly string[]) =>
  new Intl.ListFormat('ko', { type: 'disjunction' }).format(values);

describe('describeFileTypes', () => {
  it('names each kind once, in order, in the language’s list format', () => {
    const types = [
      'image/png',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'text/csv',
    ];
    expect(describeFileTypes(types, english)).toBe('PNG, Word, or CSV');
    expect(describeFileTypes(types, korean)).toBe('PNG, Word 또는 CSV');
  });

  it('shows a type without a common name as it is, and translates names that differ', () => {
    expect(describeFileTypes(['application/x-homeport', 'image/webp'], english)).toBe(
      'application/x-homeport or WebP',
    );
    expect(describeFileTypes(['image/gif'], english)).toBe('GIF');
    expect(describeFileTypes([], english)).toBe('');
    expect(
      describeFileTypes(['application/x-hwp'], english, (id) =>
        id === 'common.upload.type.hwp' ? 'HWP' : id,
      ),
    ).toBe('HWP');
  });
});

describe('declaredType', () => {
  it('keeps the browser’s type and names Hangul documents the browser does not know', () => {
    expect(declaredType({ name: 'a.png', type: 'image/png' })).toBe('image/png');
    expect(declaredType({ name: '보고서.HWP', type: '' })).toBe('application/x-hwp');
    expect(declaredType({ name: '보고서.hwpx', type: '' })).toBe('application/hwp+zip');
    expect(declaredType({ name: 'program.exe', type: '' })).toBe('application/octet-stream');
  });
});
