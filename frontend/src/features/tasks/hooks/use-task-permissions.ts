import { useSession } from '../../../lib/session-store';
import type { Task } from '../api/get-task';
import type { TaskBoard } from '../api/get-task-board';

export interface TaskPermissions {
  userId: string | undefined;
  isSupervisor: boolean;
  /** Title, content, priority, labels, status and checklist. */
  canEdit: boolean;
  /** PIC, assignees, start and due dates: supervisors only. */
  canEditPlanning: boolean;
  canComment: boolean;
  /** The hint beside a field the user cannot change, as a message key. */
  editHint: string | undefined;
  planningHint: string | undefined;
}

/**
 * What the signed-in person may do with this task, mirroring the server's rules (docs/tasks.md,
 * "Roles × operations") so the dialog disables what would be refused; the server still decides.
 */
export function useTaskPermissions(board: TaskBoard, task: Task): TaskPermissions {
  const session = useSession();
  const userId = session.status === 'signedIn' ? session.user.id : undefined;
  const role = board.board.myRole;
  const isSupervisor = role === 'supervisor';
  const isOwn =
    userId !== undefined && (task.picId === userId || task.assigneeIds.includes(userId));
  const canEdit = isSupervisor || (role === 'member' && isOwn);
  const readOnlyHint =
    role === 'viewer'
      ? 'tasks.dialog.hint.viewer'
      : canEdit
        ? undefined
        : 'tasks.dialog.hint.notYours';
  return {
    userId,
    isSupervisor,
    canEdit,
    canEditPlanning: isSupervisor,
    canComment: role !== 'viewer' || board.board.viewersCanComment,
    editHint: readOnlyHint,
    planningHint: isSupervisor ? undefined : (readOnlyHint ?? 'tasks.dialog.hint.supervisorsOnly'),
  };
}
