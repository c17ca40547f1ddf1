import { describe, expect, it } from 'vitest';
import { interpolate, localeFromAcceptLanguage } from './i18n.js';
import { fieldMessage, problemDetail, problemTitle } from './i18n-messages.js';

describe('localeFromAcceptLanguage', () => {
  it('picks the best supported language by q-value, then order', () => {
    expect(localeFromAcceptLanguage('ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('ko');
    expect(localeFromAcceptLanguage('en-GB, ko;q=0.5')).toBe('en');
    expect(localeFromAcceptLanguage('fr-FR, ko;q=0.4, en;q=0.3')).toBe('ko');
    expect(localeFromAcceptLanguage('ko;q=0, en')).toBe('en');
    expect(localeFromAcceptLanguage('KO')).toBe('ko');
  });

  it('names nothing for an absent, unknown or malformed header', () => {
    expect(localeFromAcceptLanguage(undefined)).toBeUndefined();
    expect(localeFromAcceptLanguage('')).toBeUndefined();
    expect(localeFromAcceptLanguage('fr, de;q=0.5')).toBeUndefined();
    expect(localeFromAcceptLanguage('*')).toBeUndefined();
    expect(localeFromAcceptLanguage('ko;q=abc')).toBeUndefined();
  });
});

describe('the Korean catalogue', () => {
  it('translates by code, reading figures out of the English message', () => {
    expect(
      problemDetail('invalid_credentials', 'The email or password is not correct.', 'ko'),
    ).toBe('이메일 또는 비밀번호가 올바르지 않아요.');
    expect(
      problemDetail(
        'file_too_large',
        'The file is larger than the 5242880 bytes allowed here.',
        'ko',
      ),
    ).toBe('여기에 올릴 수 있는 크기는 5242880바이트까지예요.');
    expect(
      problemDetail('rate_limited', 'Too many requests; try again later.', 'ko', {
        retryMinutes: 15,
      }),
    ).toBe('요청이 너무 많아요. 15분 후에 다시 시도하세요.');
    expect(problemTitle(404, 'ko')).toBe('찾을 수 없음');
    expect(fieldMessage('must be at least 10 characters', 'ko')).toBe('10자 이상이어야 해요');
  });

  it('keeps English for English, and falls back to it for what it does not know', () => {
    expect(
      problemDetail('invalid_credentials', 'The email or password is not correct.', 'en'),
    ).toBe('The email or password is not correct.');
    expect(problemDetail('brand_new_code', 'Something new.', 'ko')).toBe('Something new.');
    expect(fieldMessage('is something new', 'ko')).toBe('is something new');
    expect(problemTitle(404, 'en')).toBeUndefined();
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
