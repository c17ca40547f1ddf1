/** Root of every notifications cache key; a new notification invalidates all of it. */
export const NOTIFICATIONS_QUERY_KEY = ['notifications'] as const;
