/** Root of every items cache key; the query options below extend it and mutations invalidate it. */
export const ITEMS_QUERY_KEY = ['items'] as const;
