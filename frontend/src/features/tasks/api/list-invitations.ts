import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { invitationsQueryKey } from './settings-query-keys';

export type BoardInvitation = components['schemas']['BoardInvitation'];

/** Invitations not yet accepted or revoked (pending or expired). */
export async function listInvitations(boardId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/invitations', {
      params: { path: { boardId } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listInvitationsQueryOptions(boardId: string) {
  return queryOptions({
    queryKey: invitationsQueryKey(boardId),
    queryFn: ({ signal }) => listInvitations(boardId, signal),
  });
}

export function useListInvitations(boardId: string) {
  return useQuery(listInvitationsQueryOptions(boardId));
}
