import { describe, expect, it } from 'vitest';
import { localParts, nextHour, nextLocalHour } from './schedule.js';

describe('digest clock', () => {
  it('finds the next local hour in a zone ahead of UTC, today or tomorrow', () => {
    // 08:00 in Seoul (UTC+9) is 23:00 UTC the day before.
    expect(nextLocalHour(new Date('2026-12-02T05:00:00Z'), 'Asia/Seoul', 8).toISOString()).toBe(
      '2026-12-02T23:00:00.000Z',
    );
    expect(nextLocalHour(new Date('2026-12-02T22:30:00Z'), 'Asia/Seoul', 8).toISOString()).toBe(
      '2026-12-02T23:00:00.000Z',
    );
    expect(nextLocalHour(new Date('2026-12-02T23:00:00Z'), 'Asia/Seoul', 8).toISOString()).toBe(
      '2026-12-03T23:00:00.000Z',
    );
  });

  it('follows daylight saving time and half-hour offsets', () => {
    // New York leaves DST on 2026-11-01: 08:00 is 12:00 UTC before, 13:00 UTC after.
    expect(
      nextLocalHour(new Date('2026-10-31T13:00:00Z'), 'America/New_York', 8).toISOString(),
    ).toBe('2026-11-01T13:00:00.000Z');
    expect(nextLocalHour(new Date('2026-12-02T00:00:00Z'), 'Asia/Kolkata', 8).toISOString()).toBe(
      '2026-12-02T02:30:00.000Z',
    );
    expect(localParts(new Date('2026-12-02T02:30:00Z'), 'Asia/Kolkata')).toEqual({
      date: '2026-12-02',
      hour: 8,
      minute: 0,
    });
  });

  it('puts hourly digests at the next full hour', () => {
    expect(nextHour(new Date('2026-12-02T05:59:59Z')).toISOString()).toBe(
      '2026-12-02T06:00:00.000Z',
    );
    expect(nextHour(new Date('2026-12-02T06:00:00Z')).toISOString()).toBe(
      '2026-12-02T07:00:00.000Z',
    );
  });
});
