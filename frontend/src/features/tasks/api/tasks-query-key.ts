// frontend/src/features/tasks/api/tasks-query-key.ts
/** The root of every Tasks query key: invalidating it refetches the whole feature. */
export const TASKS_QUERY_KEY = ['tasks'] as const;
export const boardsQueryKey = [...TASKS_QUERY_KEY, 'boards'] as const;
export const boardQueryKey = (boardId: string) => [...TASKS_QUERY_KEY, 'board', boardId] as const;
export const taskQueryKey = (taskId: string) => [...TASKS_QUERY_KEY, 'task', taskId] as const;
