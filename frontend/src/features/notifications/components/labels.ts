/** The catalogue key of each notification category, type and email timing the API sends. */
export const CATEGORY_KEYS = {
  assigned: 'notifications.category.assigned',
  mentioned: 'notifications.category.mentioned',
  comment: 'notifications.category.comment',
  status: 'notifications.category.status',
  due_soon: 'notifications.category.due_soon',
  overdue: 'notifications.category.overdue',
} as const;

export type Category = keyof typeof CATEGORY_KEYS;
export const CATEGORIES = Object.keys(CATEGORY_KEYS) as Category[];

export const TYPE_KEYS: Record<string, string> = {
  task_created: 'notifications.type.task_created',
  task_updated: 'notifications.type.task_updated',
  task_moved: 'notifications.type.task_moved',
  task_archived: 'notifications.type.task_archived',
  task_restored: 'notifications.type.task_restored',
  comment_added: 'notifications.type.comment_added',
  task_due_soon: 'notifications.type.task_due_soon',
  task_overdue: 'notifications.type.task_overdue',
};

export const TIMING_KEYS = {
  immediate: 'notifications.timing.immediate',
  hourly: 'notifications.timing.hourly',
  daily: 'notifications.timing.daily',
} as const;

export type Timing = keyof typeof TIMING_KEYS;
export const TIMINGS = Object.keys(TIMING_KEYS) as Timing[];
