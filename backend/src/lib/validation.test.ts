import { describe, expect, it } from 'vitest';
import { INPUT_KEYWORDS, isPlainText, withInputRules } from './validation.js';

describe('input rules added to every request schema', () => {
  it('refuse control characters and lone surrogates, keep tabs, line breaks and emoji', () => {
    for (const good of ['plain', 'tab\there', 'two\nlines\r\n', '한국어 🙂', 'a\u202eb', '']) {
      expect(isPlainText(good), JSON.stringify(good)).toBe(true);
    }
    for (const bad of [
      '\u0000',
      'a\u0000b',
      '\u0007',
      '\u001b[31m',
      '\u007f',
      '\u0085',
      '\ud800',
      'x\udc00',
    ]) {
      expect(isPlainText(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('reach strings and numbers at any depth, and leave the original schema alone', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', const: 'x' },
        tags: { type: 'array', items: { type: 'string' } },
        price: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        file: { type: 'string', format: 'binary' },
        never: { not: { type: 'string' } },
      },
    };
    const before = JSON.stringify(schema);
    const ruled = withInputRules(schema) as { properties: Record<string, Record<string, unknown>> };
    expect(JSON.stringify(schema)).toBe(before);
    const { name, tags, price, file, never } = ruled.properties;
    expect(name).toEqual({ type: 'string', const: 'x', [INPUT_KEYWORDS.plainText]: true });
    expect(tags?.items).toEqual({ type: 'string', [INPUT_KEYWORDS.plainText]: true });
    expect(price?.anyOf).toEqual([
      { type: 'integer', [INPUT_KEYWORDS.finiteNumber]: true },
      { type: 'null' },
    ]);
    expect(file).toEqual({ type: 'string', format: 'binary' });
    expect(never).toEqual({ not: { type: 'string' } });
  });
});
