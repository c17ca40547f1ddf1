/** Root of every files cache key; the query options extend it and mutations invalidate it. */
export const FILES_QUERY_KEY = ['files'] as const;
