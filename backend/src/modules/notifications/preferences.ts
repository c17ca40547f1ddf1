import { type Static, Type } from 'typebox';
import type { Prisma } from '../../generated/prisma/client.js';
import type { DatabaseClient } from '../mail/outbox.js';

/** What a notification is about; each has its own preference and its own unsubscribe link. */
export const CATEGORIES = [
  'assigned',
  'mentioned',
  'comment',
  'status',
  'due_soon',
  'overdue',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const TIMINGS = ['immediate', 'hourly', 'daily'] as const;
export type Timing = (typeof TIMINGS)[number];

export interface EventPreference {
  inApp: boolean;
  email: boolean;
  /** When email goes out: coalesced per task after a short window, or in a digest. */
  timing: Timing;
}

export type EventPreferences = Record<Category, EventPreference>;

/** The defaults (docs/tasks.md "Notifications"): personal events by email at once, the rest in-app. */
export const DEFAULT_EVENTS: EventPreferences = {
  assigned: { inApp: true, email: true, timing: 'immediate' },
  mentioned: { inApp: true, email: true, timing: 'immediate' },
  comment: { inApp: true, email: true, timing: 'hourly' },
  status: { inApp: true, email: false, timing: 'daily' },
  due_soon: { inApp: true, email: true, timing: 'immediate' },
  overdue: { inApp: true, email: true, timing: 'immediate' },
};
export const DEFAULT_DAILY_DIGEST_HOUR = 8;

export interface Preferences {
  events: EventPreferences;
  dailyDigestHour: number;
  mutedBoardIds: string[];
  timeZone: string;
}

export type PreferencesBody = Static<typeof PreferencesSchema>;

/** A valid IANA zone name as the runtime knows it (Intl), e.g. `Asia/Seoul`. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const EventPreferenceSchema = Type.Object(
  {
    inApp: Type.Boolean(),
    email: Type.Boolean(),
    timing: Type.Union(TIMINGS.map((timing) => Type.Literal(timing))),
  },
  { additionalProperties: false },
);

export const PreferencesSchema = Type.Object(
  {
    events: Type.Object(
      Object.fromEntries(CATEGORIES.map((category) => [category, EventPreferenceSchema])) as Record<
        Category,
        typeof EventPreferenceSchema
      >,
      { additionalProperties: false },
    ),
    dailyDigestHour: Type.Integer({
      minimum: 0,
      maximum: 23,
      description: 'Local hour (in timeZone) the daily digest goes out',
    }),
    mutedBoardIds: Type.Array(Type.String({ format: 'uuid' }), {
      maxItems: 500,
      uniqueItems: true,
      description: 'Boards nothing is notified about',
    }),
    timeZone: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'IANA time zone of the profile, e.g. Asia/Seoul',
    }),
  },
  { $id: 'NotificationPreferences', title: 'NotificationPreferences', additionalProperties: false },
);

function mergeEvents(stored: unknown): EventPreferences {
  const saved = (stored && typeof stored === 'object' ? stored : {}) as Partial<
    Record<Category, Partial<EventPreference>>
  >;
  const events = {} as EventPreferences;
  for (const category of CATEGORIES) {
    events[category] = { ...DEFAULT_EVENTS[category], ...(saved[category] ?? {}) };
  }
  return events;
}

/** The preferences of each user (defaults where nothing is saved), in one query per table. */
export async function loadPreferences(
  db: DatabaseClient,
  userIds: string[],
): Promise<Map<string, Preferences>> {
  const [rows, profiles] = await Promise.all([
    db.notificationPreference.findMany({ where: { userId: { in: userIds } } }),
    db.profile.findMany({
      where: { userId: { in: userIds } },
      select: { userId: true, timeZone: true },
    }),
  ]);
  const saved = new Map(rows.map((row) => [row.userId, row]));
  const zones = new Map(profiles.map((profile) => [profile.userId, profile.timeZone]));
  const result = new Map<string, Preferences>();
  for (const userId of userIds) {
    const row = saved.get(userId);
    result.set(userId, {
      events: mergeEvents(row?.events),
      dailyDigestHour: row?.dailyDigestHour ?? DEFAULT_DAILY_DIGEST_HOUR,
      mutedBoardIds: row?.mutedBoardIds ?? [],
      timeZone: zones.get(userId) ?? 'UTC',
    });
  }
  return result;
}

export async function savePreferences(
  db: DatabaseClient,
  userId: string,
  preferences: Omit<Preferences, 'timeZone'>,
): Promise<void> {
  const data = {
    events: preferences.events as unknown as Prisma.InputJsonObject,
    dailyDigestHour: preferences.dailyDigestHour,
    mutedBoardIds: preferences.mutedBoardIds,
  };
  await db.notificationPreference.upsert({
    where: { userId },
    create: { userId, ...data },
    update: data,
  });
}

/** Turns one category's email off: what a used unsubscribe link does. */
export async function turnOffEmail(
  db: DatabaseClient,
  userId: string,
  category: Category,
): Promise<void> {
  const current = (await loadPreferences(db, [userId])).get(userId);
  if (!current) return;
  const events = { ...current.events, [category]: { ...current.events[category], email: false } };
  await savePreferences(db, userId, { ...current, events });
}
