import { type ReactNode, useCallback, useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useLocation, useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';
import type { Task } from '../api/get-task';
import { useTask, useTaskByNumber } from '../api/get-task';
import { type TaskBoard, useTaskBoard } from '../api/get-task-board';
import { useDialogFocus } from '../hooks/use-dialog-focus';
import { useTaskEditor } from '../hooks/use-task-editor';
import { useTaskPermissions } from '../hooks/use-task-permissions';
import './task-dialog.css';
import { TaskActivity } from './task-dialog-activity';
import { TaskAttachments } from './task-dialog-attachments';
import { TaskChecklist } from './task-dialog-checklist';
import { TaskComments } from './task-dialog-comments';
import { TaskConflict } from './task-dialog-conflict';
import { TaskContent } from './task-dialog-content';
import { TaskFields } from './task-dialog-fields';
import { TaskTitle } from './task-dialog-title';

/** Where "close" goes: the page the dialog was opened from (e.g. My tasks), else the board. */
function useClose(boardKey: string) {
  const navigate = useNavigate();
  const location = useLocation();
  const returnTo = (location.state as { returnTo?: string } | null)?.returnTo;
  return useCallback(
    () => navigate(returnTo ?? `/boards/${boardKey}`),
    [navigate, returnTo, boardKey],
  );
}

/** `/boards/:key/tasks/:number`: the task as a modal over the board (a full-screen sheet on phones). */
export function TaskDialog() {
  const t = useT();
  const { key = '', number = '' } = useParams();
  const taskNumber = Number(number);
  const close = useClose(key);
  const link = useTaskByNumber(key, taskNumber);
  const task = useTask(link.data?.id, link.data);
  const board = useTaskBoard(link.data?.boardId);
  const failure = link.error ?? task.error ?? board.error;

  let body: ReactNode;
  if (failure) {
    body = (
      <Alert tone="error" title={t('tasks.dialog.loadFailed')}>
        <p>
          {failure instanceof ApiError && failure.status === 404
            ? t('tasks.dialog.notFound', { key: `${key}-${number}` })
            : describeError(failure)}
        </p>
      </Alert>
    );
  } else if (!task.data || !board.data) {
    body = <Spinner label={t('tasks.dialog.loading')} />;
  }
  return (
    <TaskSheet
      label={task.data ? `${task.data.key} ${task.data.title}` : `${key}-${number}`}
      onClose={close}
    >
      {body ??
        (task.data && board.data ? <TaskDialogBody task={task.data} board={board.data} /> : null)}
    </TaskSheet>
  );
}

function TaskSheet({
  label,
  onClose,
  children,
}: {
  label: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const t = useT();
  const sheet = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const onKeyDown = useDialogFocus(sheet, sheet, onClose);
  useEffect(() => {
    document.title = t('common.documentTitle', { page: label });
  }, [label, t]);
  return createPortal(
    <div className="task-dialog__backdrop">
      <div
        ref={sheet}
        className="task-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={label}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <button
          ref={closeButton}
          type="button"
          className="button button--small task-dialog__close"
          onClick={onClose}
          aria-label={t('tasks.dialog.close')}
        >
          ✕
        </button>
        {children}
      </div>
    </div>,
    document.body,
  );
}

function TaskDialogBody({ task, board }: { task: Task; board: TaskBoard }) {
  const t = useT();
  const permissions = useTaskPermissions(board, task);
  const editor = useTaskEditor(task);
  return (
    <div className="task-dialog__layout">
      <header className="task-dialog__header">
        <p className="task-dialog__key">
          {board.board.name} · {task.key}
        </p>
        <TaskTitle task={task} editor={editor} permissions={permissions} />
      </header>
      {editor.conflict ? (
        <TaskConflict conflict={editor.conflict} board={board} editor={editor} />
      ) : null}
      {editor.error ? (
        <Alert tone="error" title={t('tasks.dialog.saveFailed')}>
          <p>{describeError(editor.error)}</p>
        </Alert>
      ) : null}
      <div className="task-dialog__columns">
        <div className="task-dialog__main">
          <TaskContent task={task} editor={editor} permissions={permissions} />
          <TaskChecklist task={task} permissions={permissions} />
          <TaskAttachments task={task} board={board} permissions={permissions} />
          <TaskComments task={task} board={board} permissions={permissions} />
          <TaskActivity task={task} board={board} />
        </div>
        <aside className="task-dialog__side" aria-label={t('tasks.dialog.details')}>
          <TaskFields task={task} board={board} editor={editor} permissions={permissions} />
        </aside>
      </div>
    </div>
  );
}
