import type { WebhookEventType } from '../api/create-webhook';

type ActivityEventType = Exclude<WebhookEventType, '*'>;

/**
 * The activity types an endpoint may subscribe to (docs/tasks.md, "Activity"), grouped for the
 * form. Typed against the generated API schema: a type the API adds or drops fails to compile
 * here until this list follows.
 */
export const WEBHOOK_EVENT_GROUPS = {
  board: ['board_created', 'board_updated', 'board_imported'],
  members: ['member_added', 'member_removed', 'member_role_changed'],
  invitations: [
    'invitation_sent',
    'invitation_resent',
    'invitation_revoked',
    'invitation_accepted',
  ],
  columns: ['column_created', 'column_updated', 'column_moved', 'column_deleted'],
  labels: ['label_created', 'label_updated', 'label_deleted'],
  tasks: ['task_created', 'task_updated', 'task_archived', 'task_restored', 'task_moved'],
  checklist: [
    'checklist_item_added',
    'checklist_item_updated',
    'checklist_item_checked',
    'checklist_item_unchecked',
    'checklist_item_moved',
    'checklist_item_removed',
  ],
  comments: ['comment_added', 'comment_edited', 'comment_deleted'],
  attachments: ['attachment_added', 'attachment_removed'],
} as const satisfies Record<string, readonly ActivityEventType[]>;

export type WebhookEventGroup = keyof typeof WEBHOOK_EVENT_GROUPS;

type Listed = (typeof WEBHOOK_EVENT_GROUPS)[WebhookEventGroup][number];
// Fails to compile while an activity type of the API is missing from the groups above.
const everyTypeListed: [Exclude<ActivityEventType, Listed>] extends [never] ? true : never = true;
void everyTypeListed;
