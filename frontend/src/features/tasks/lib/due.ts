/** How many days ahead a due date counts as "due soon" (amber). */
export const DUE_SOON_DAYS = 2;

export type DueState = 'overdue' | 'soon' | 'later';

/** Today's calendar date (YYYY-MM-DD) in a time zone, the user's by default. */
export function todayIn(timeZone?: string, now: Date = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A due date (a calendar date) against today: past is overdue, today and the next days soon. */
export function dueState(dueDate: string, today: string): DueState {
  const days = daysBetween(today, dueDate);
  if (days < 0) return 'overdue';
  return days <= DUE_SOON_DAYS ? 'soon' : 'later';
}

/** The user's IANA time zone, sent with searches so "overdue" and "this week" mean their today. */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
