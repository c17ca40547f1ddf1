import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient, refreshSession } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { ACCOUNT_QUERY_KEY } from './account-query-key';

export async function getMfaStatus(signal?: AbortSignal) {
  return dataOrThrow(await apiClient.GET('/api/auth/mfa', signal ? { signal } : {}));
}

export function mfaStatusQueryOptions() {
  return queryOptions({
    queryKey: [...ACCOUNT_QUERY_KEY, 'mfa'] as const,
    queryFn: ({ signal }) => getMfaStatus(signal),
  });
}

export function useMfaStatus() {
  return useQuery(mfaStatusQueryOptions());
}

/** Every change to the factor refreshes the status. */
function useMfaMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries(mfaStatusQueryOptions()),
  });
}

export function useEnrolTotp() {
  return useMfaMutation(async (input: { password: string }) =>
    dataOrThrow(await apiClient.POST('/api/auth/mfa/totp', { body: input })),
  );
}

/**
 * This session proved the factor by activating it, so the server made it aal2: a refresh now puts
 * an aal2 access token in hand (an admin's admin pages need one) instead of at the next expiry.
 */
export function useActivateTotp() {
  return useMfaMutation(async (input: { code: string }) => {
    const result = dataOrThrow(
      await apiClient.POST('/api/auth/mfa/totp/activate', { body: input }),
    );
    await refreshSession();
    return result;
  });
}

export function useDisableMfa() {
  return useMfaMutation(async (input: { password: string; code: string }) =>
    dataOrThrow(await apiClient.POST('/api/auth/mfa/disable', { body: input })),
  );
}

export function useRegenerateRecoveryCodes() {
  return useMfaMutation(async (input: { password: string }) =>
    dataOrThrow(await apiClient.POST('/api/auth/mfa/recovery-codes', { body: input })),
  );
}
