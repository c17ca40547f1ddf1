import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY } from './tasks-query-key';

export type TaskComment = components['schemas']['TaskComment'];

const COMMENTS_PAGE = 100;

/** The task's comments, oldest first (the thread reads top to bottom). */
export async function listComments(taskId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/tasks/{taskId}/comments', {
      params: { path: { taskId }, query: { limit: COMMENTS_PAGE } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listCommentsQueryOptions(taskId: string) {
  return queryOptions({
    queryKey: [...TASKS_QUERY_KEY, 'comments', taskId] as const,
    queryFn: ({ signal }) => listComments(taskId, signal),
  });
}

export function useComments(taskId: string) {
  return useQuery(listCommentsQueryOptions(taskId));
}

export async function addComment(taskId: string, content: string) {
  return dataOrThrow(
    await apiClient.POST('/api/tasks/{taskId}/comments', {
      params: { path: { taskId } },
      body: { content },
    }),
  );
}

export async function editComment(taskId: string, commentId: string, content: string) {
  return dataOrThrow(
    await apiClient.PATCH('/api/tasks/{taskId}/comments/{commentId}', {
      params: { path: { taskId, commentId } },
      body: { content },
    }),
  );
}

export async function deleteComment(taskId: string, commentId: string) {
  dataOrThrow(
    await apiClient.DELETE('/api/tasks/{taskId}/comments/{commentId}', {
      params: { path: { taskId, commentId } },
    }),
  );
}

export type CommentAction =
  | { kind: 'add'; content: string }
  | { kind: 'edit'; commentId: string; content: string }
  | { kind: 'delete'; commentId: string };

async function runCommentAction(taskId: string, action: CommentAction): Promise<void> {
  if (action.kind === 'add') await addComment(taskId, action.content);
  else if (action.kind === 'edit') await editComment(taskId, action.commentId, action.content);
  else await deleteComment(taskId, action.commentId);
}

/** Comments and the activity they add are re-read after each change. */
export function useCommentAction(taskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: CommentAction) => runCommentAction(taskId, action),
    onSuccess: () =>
      queryClient.invalidateQueries({
        queryKey: TASKS_QUERY_KEY,
        predicate: (query) => query.queryKey[1] !== 'task',
      }),
  });
}
