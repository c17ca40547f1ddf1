import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { membersQueryKey } from './settings-query-keys';

export type BoardMember = components['schemas']['BoardMember'];
export type BoardRole = BoardMember['role'];

/** The board's current members with their roles. */
export async function listMembers(boardId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/members', {
      params: { path: { boardId } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listMembersQueryOptions(boardId: string) {
  return queryOptions({
    queryKey: membersQueryKey(boardId),
    queryFn: ({ signal }) => listMembers(boardId, signal),
  });
}

export function useListMembers(boardId: string) {
  return useQuery(listMembersQueryOptions(boardId));
}
