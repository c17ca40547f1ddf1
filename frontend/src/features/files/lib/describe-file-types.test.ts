import { describe, expect, it } from 'vitest';
import { describeFileTypes } from './describe-file-types';

describe('describeFileTypes', () => {
  it('names each kind once, in order, joined with "or"', () => {
    expect(
      describeFileTypes([
        'image/png',
        'application/msword',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'text/csv',
      ]),
    ).toBe('PNG, Word or CSV');
  });

  it('shows a type without a common name as it is', () => {
    expect(describeFileTypes(['application/x-homeport', 'image/webp'])).toBe(
      'application/x-homeport or WebP',
    );
    expect(describeFileTypes(['image/gif'])).toBe('GIF');
    expect(describeFileTypes([])).toBe('');
  });
});
