/** Message keys naming each editable task field (in activity sentences and conflicts). */
export const TASK_FIELD_KEYS: Readonly<Record<string, string>> = Object.fromEntries([
  ['title', 'tasks.field.title'],
  ['content', 'tasks.dialog.content'],
  ['picId', 'tasks.field.pic'],
  ['assigneeIds', 'tasks.field.assignees'],
  ['labelIds', 'tasks.field.labels'],
  ['priority', 'tasks.field.priority'],
  ['startDate', 'tasks.field.startDate'],
  ['dueDate', 'tasks.field.dueDate'],
  ['archived', 'tasks.field.archived'],
]);
