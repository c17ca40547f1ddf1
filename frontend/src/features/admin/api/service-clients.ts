import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components, operations } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { ADMIN_SERVICE_CLIENTS_QUERY_KEY } from './admin-query-key';

export type ServiceClient = components['schemas']['ServiceClient'];
export type NewServiceClient =
  operations['adminCreateServiceClient']['requestBody']['content']['application/json'];

export async function listServiceClients(signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/admin/service-clients', { ...(signal ? { signal } : {}) }),
  ).items;
}

export function serviceClientsQueryOptions() {
  return queryOptions({
    queryKey: [...ADMIN_SERVICE_CLIENTS_QUERY_KEY, 'list'] as const,
    queryFn: ({ signal }) => listServiceClients(signal),
  });
}

export function useServiceClients() {
  return useQuery(serviceClientsQueryOptions());
}

function useClientsMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ADMIN_SERVICE_CLIENTS_QUERY_KEY }),
  });
}

/** The answer holds the secret, shown once. */
export function useCreateServiceClient() {
  return useClientsMutation(async (body: NewServiceClient) =>
    dataOrThrow(await apiClient.POST('/api/admin/service-clients', { body })),
  );
}

export function useCreateClientSecret() {
  return useClientsMutation(async (id: string) =>
    dataOrThrow(
      await apiClient.POST('/api/admin/service-clients/{id}/secrets', {
        params: { path: { id } },
      }),
    ),
  );
}

export function useRevokeClientSecret() {
  return useClientsMutation(async ({ id, secretId }: { id: string; secretId: string }) =>
    dataOrThrow(
      await apiClient.DELETE('/api/admin/service-clients/{id}/secrets/{secretId}', {
        params: { path: { id, secretId } },
      }),
    ),
  );
}

export function useDisableServiceClient() {
  return useClientsMutation(async (id: string) =>
    dataOrThrow(
      await apiClient.POST('/api/admin/service-clients/{id}/disable', {
        params: { path: { id } },
      }),
    ),
  );
}
