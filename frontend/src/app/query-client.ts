import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/problem';

/** Retries only what may succeed on a second try: network failures and 5xx, not 4xx answers. */
export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failureCount, error) =>
          failureCount < 2 && !(error instanceof ApiError && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
}
