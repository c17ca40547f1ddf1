/** Root of every admin cache key; the query options extend it and mutations invalidate parts. */
export const ADMIN_QUERY_KEY = ['admin'] as const;
export const ADMIN_USERS_QUERY_KEY = [...ADMIN_QUERY_KEY, 'users'] as const;
export const ADMIN_AUDIT_QUERY_KEY = [...ADMIN_QUERY_KEY, 'audit'] as const;
export const ADMIN_SUPPRESSIONS_QUERY_KEY = [...ADMIN_QUERY_KEY, 'suppressions'] as const;
export const ADMIN_SERVICE_CLIENTS_QUERY_KEY = [...ADMIN_QUERY_KEY, 'service-clients'] as const;
