import { TASKS_QUERY_KEY } from './tasks-query-key';

/** Keys of the settings page's lists, per board; mutations invalidate the one they change. */
export const boardSettingsQueryKey = (boardId: string) =>
  [...TASKS_QUERY_KEY, 'settings', boardId] as const;
export const boardByKeyQueryKey = (key: string) =>
  [...TASKS_QUERY_KEY, 'board-by-key', key] as const;
export const columnsQueryKey = (boardId: string) =>
  [...boardSettingsQueryKey(boardId), 'columns'] as const;
export const labelsQueryKey = (boardId: string) =>
  [...boardSettingsQueryKey(boardId), 'labels'] as const;
export const membersQueryKey = (boardId: string) =>
  [...boardSettingsQueryKey(boardId), 'members'] as const;
export const invitationsQueryKey = (boardId: string) =>
  [...boardSettingsQueryKey(boardId), 'invitations'] as const;
export const webhooksQueryKey = (boardId: string) =>
  [...boardSettingsQueryKey(boardId), 'webhooks'] as const;
export const webhookDeliveriesQueryKey = (boardId: string, webhookId: string) =>
  [...webhooksQueryKey(boardId), webhookId, 'deliveries'] as const;
export const reminderSettingsQueryKey = (boardId: string) =>
  [...boardSettingsQueryKey(boardId), 'reminders'] as const;
