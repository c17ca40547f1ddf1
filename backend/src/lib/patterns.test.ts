import { describe, expect, it } from 'vitest';
import { PATTERNS, patternMessage } from './patterns.js';

describe('schema patterns', () => {
  it('match what they promise and nothing else', () => {
    const cases: [keyof typeof PATTERNS, string[], string[]][] = [
      ['notBlank', ['a', '  a  '], ['', '   ', '\t\n']],
      [
        'email',
        ['mina@example.com', 'a.b+c@sub.example.co.kr'],
        ['mina', 'a@b@c', 'a b@c.d', '<a@b.c>'],
      ],
      ['emailCode', ['012345'], ['12345', '1234567', '12a456', ' 123456']],
      ['itemId', ['item-1', 'A_b', 'x'.repeat(64)], ['', 'has space', 'x'.repeat(65), 'é']],
      ['mediaType', ['image/png', 'application/vnd.ms-excel'], ['png', 'image/', '/png', 'a b/c']],
      ['eventType', ['sign_in.failed', 'password.changed'], ['Auth.SignIn', 'auth sign in', '']],
    ];
    for (const [name, good, bad] of cases) {
      const pattern = new RegExp(PATTERNS[name].source, 'u');
      for (const value of good) expect(pattern.test(value), `${name}: ${value}`).toBe(true);
      for (const value of bad) expect(pattern.test(value), `${name}: ${value}`).toBe(false);
    }
  });

  it('give each pattern its message, and any other a plain one', () => {
    expect(patternMessage(PATTERNS.emailCode.source)).toBe('must be the 6 digits from the email');
    expect(patternMessage('^other$')).toBe('is not in the expected form');
  });
});
