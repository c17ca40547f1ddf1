/** Root of every account cache key; the query options extend it and mutations invalidate it. */
export const ACCOUNT_QUERY_KEY = ['account'] as const;
