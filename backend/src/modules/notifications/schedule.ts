/** Clock arithmetic of digests and reminders, in a user's IANA time zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The local wall-clock parts of `instant` in `timeZone`. */
export function localParts(
  instant: Date,
  timeZone: string,
): { date: string; hour: number; minute: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

const QUARTER_HOUR = 15 * 60_000;

/**
 * The first instant after `after` at which it is `hour`:00 in `timeZone` (searched in quarter
 * hours, which every zone's offset is a multiple of). A day skipped by a DST change moves on to
 * the next day that has that hour.
 */
export function nextLocalHour(after: Date, timeZone: string, hour: number): Date {
  let instant = Math.floor(after.getTime() / QUARTER_HOUR) * QUARTER_HOUR + QUARTER_HOUR;
  for (let step = 0; step < 4 * 24 * 3; step += 1, instant += QUARTER_HOUR) {
    const local = localParts(new Date(instant), timeZone);
    if (local.hour === hour && local.minute === 0) return new Date(instant);
  }
  throw new Error(`no ${hour}:00 in ${timeZone} within three days`);
}

/** The start of the next UTC hour after `after`: when an hourly digest goes out. */
export function nextHour(after: Date): Date {
  const hour = 3_600_000;
  return new Date(Math.floor(after.getTime() / hour) * hour + hour);
}
