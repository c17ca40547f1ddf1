import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../../lib/api-client';
import { dataOrThrow } from '../../../../lib/problem';

export async function listProviders(signal?: AbortSignal) {
  return dataOrThrow(await apiClient.GET('/api/auth/providers', signal ? { signal } : {}));
}

export function providersQueryOptions() {
  return queryOptions({
    queryKey: ['auth', 'providers'] as const,
    queryFn: ({ signal }) => listProviders(signal),
    // The configuration changes only with a deploy.
    staleTime: 5 * 60_000,
  });
}

export function useProviders() {
  return useQuery(providersQueryOptions());
}

/**
 * The provider's start route, opened as a top-level navigation (the provider's page replaces
 * the app's, and its redirect comes back to the API, which redirects into the app).
 */
export function providerStartUrl(provider: string, keepSignedIn: boolean): string {
  const base = import.meta.env.VITE_API_BASE_URL ?? '';
  const query = keepSignedIn ? '?keepSignedIn=true' : '';
  return `${base}/api/auth/oidc/${encodeURIComponent(provider)}/start${query}`;
}
