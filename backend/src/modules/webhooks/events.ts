import type { FeedEntry } from '../tasks/feed.js';

/** The activity types an endpoint may subscribe to (docs/tasks.md, "Activity"); `*` = all. */
export const WEBHOOK_EVENT_TYPES = [
  'board_created',
  'board_updated',
  'board_imported',
  'member_added',
  'member_removed',
  'member_role_changed',
  'invitation_sent',
  'invitation_resent',
  'invitation_revoked',
  'invitation_accepted',
  'column_created',
  'column_updated',
  'column_moved',
  'column_deleted',
  'label_created',
  'label_updated',
  'label_deleted',
  'task_created',
  'task_updated',
  'task_archived',
  'task_restored',
  'task_moved',
  'checklist_item_added',
  'checklist_item_updated',
  'checklist_item_checked',
  'checklist_item_unchecked',
  'checklist_item_moved',
  'checklist_item_removed',
  'comment_added',
  'comment_edited',
  'comment_deleted',
  'attachment_added',
  'attachment_removed',
] as const;

export const ALL_EVENTS = '*';

/** The event a "send test event" request delivers; never written as activity. */
export const TEST_EVENT_TYPE = 'webhook.test';

export interface WebhookEvent {
  /** The activity row's id (decimal); the test event has its delivery's id. */
  id: string;
  type: string;
  occurredAt: string;
  board: { id: string; key: string };
  task: { id: string; version: number | null } | null;
  actorId: string | null;
  changes: unknown;
}

export function matchesFilter(eventTypes: readonly string[], type: string): boolean {
  return eventTypes.includes(ALL_EVENTS) || eventTypes.includes(type);
}

export function eventOf(entry: FeedEntry, boardKey: string): WebhookEvent {
  return {
    id: entry.id,
    type: entry.type,
    occurredAt: entry.createdAt,
    board: { id: entry.boardId, key: boardKey },
    task: entry.taskId ? { id: entry.taskId, version: entry.taskVersion } : null,
    actorId: entry.actorId,
    changes: entry.changes,
  };
}
