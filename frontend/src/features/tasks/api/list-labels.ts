import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { labelsQueryKey } from './settings-query-keys';

export type BoardLabel = components['schemas']['TaskLabel'];

/** The board's labels by name. */
export async function listLabels(boardId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/labels', {
      params: { path: { boardId } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listLabelsQueryOptions(boardId: string) {
  return queryOptions({
    queryKey: labelsQueryKey(boardId),
    queryFn: ({ signal }) => listLabels(boardId, signal),
  });
}

export function useListLabels(boardId: string) {
  return useQuery(listLabelsQueryOptions(boardId));
}
