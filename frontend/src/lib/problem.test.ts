import { describe, expect, it } from 'vitest';
import { activateLocale } from './i18n';
import { ApiError, describeError } from './problem';

const limited = (retryAfterSeconds?: number) =>
  new ApiError(
    429,
    {
      type: 'urn:homeport:problem:rate_limited',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Too many requests; try again later.',
      code: 'rate_limited',
      requestId: 'r',
    },
    retryAfterSeconds,
  );

describe('describeError', () => {
  it('says how long to wait from Retry-After, in minutes, in the page’s language', async () => {
    expect(describeError(limited(900))).toBe('Too many attempts. Try again in 15 minutes.');
    expect(describeError(limited(30))).toBe('Too many attempts. Try again in 1 minute.');
    await activateLocale('ko');
    expect(describeError(limited(899))).toBe('시도 횟수가 너무 많아요. 15분 후에 다시 시도하세요.');
    expect(describeError(new TypeError('fetch failed'))).toBe(
      '서버에 연결할 수 없어요. 인터넷 연결을 확인하세요.',
    );
  });

  it('keeps the server’s own sentence when no wait is given', () => {
    expect(describeError(limited())).toBe('Too many requests; try again later.');
  });
});
