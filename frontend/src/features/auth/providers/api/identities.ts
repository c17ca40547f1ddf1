import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../../lib/api-client';
import { dataOrThrow } from '../../../../lib/problem';

export async function listIdentities(signal?: AbortSignal) {
  return dataOrThrow(await apiClient.GET('/api/auth/identities', signal ? { signal } : {}));
}

export function identitiesQueryOptions() {
  return queryOptions({
    queryKey: ['account', 'identities'] as const,
    queryFn: ({ signal }) => listIdentities(signal),
  });
}

export function useIdentities() {
  return useQuery(identitiesQueryOptions());
}

/** A one-time URL that starts linking `provider` to the signed-in account. */
export async function linkIdentity(provider: string) {
  return dataOrThrow(
    await apiClient.POST('/api/auth/identities/{provider}/link', {
      params: { path: { provider } },
    }),
  );
}

export function useLinkIdentity() {
  return useMutation({ mutationFn: linkIdentity });
}

export async function unlinkIdentity(id: string) {
  dataOrThrow(await apiClient.DELETE('/api/auth/identities/{id}', { params: { path: { id } } }));
}

export function useUnlinkIdentity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: unlinkIdentity,
    onSuccess: () => queryClient.invalidateQueries(identitiesQueryOptions()),
  });
}
