import { useId } from 'react';
import { Alert } from '../../../components/alert';
import { FileName } from '../../../components/file-name';
import { UploadZone } from '../../../components/upload-zone';
import { useFormat } from '../../../lib/format';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import {
  useAttachFile,
  useAttachments,
  useDownloadAttachment,
  useRemoveAttachment,
} from '../api/attachments';
import type { Task } from '../api/get-task';
import type { TaskBoard } from '../api/get-task-board';
import type { TaskPermissions } from '../hooks/use-task-permissions';
import { memberName } from './task-people';

/**
 * Files on the task: uploaded straight to storage with the shared progress bar, then attached;
 * downloaded through a fresh presigned URL; deleted by their uploader or a supervisor.
 */
export function TaskAttachments({
  task,
  board,
  permissions,
}: {
  task: Task;
  board: TaskBoard;
  permissions: TaskPermissions;
}) {
  const t = useT();
  const id = useId();
  const format = useFormat();
  const attachments = useAttachments(task.id);
  const attach = useAttachFile(task.id);
  const remove = useRemoveAttachment();
  const download = useDownloadAttachment();
  const failure = attachments.error ?? attach.error ?? remove.error ?? download.error;
  return (
    <section className="task-dialog__section" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('tasks.attachments.title')}</h3>
      {failure ? (
        <Alert tone="error">
          <p>{describeError(failure)}</p>
        </Alert>
      ) : null}
      <ul className="attachments">
        {(attachments.data ?? []).map((attachment) => (
          <li key={attachment.id} className="attachments__item">
            <FileName name={attachment.filename} className="attachments__name" />
            <span className="attachments__meta">
              {t('tasks.attachments.meta', {
                size: format.bytes(attachment.size),
                person: memberName(board.members, attachment.uploadedBy) ?? t('tasks.someone'),
              })}
            </span>
            <span className="task-dialog__actions">
              <button
                type="button"
                className="button button--small"
                aria-label={t('tasks.attachments.downloadNamed', { name: attachment.filename })}
                onClick={() => download.mutate(attachment)}
              >
                {t('tasks.attachments.download')}
              </button>
              {attachment.uploadedBy === permissions.userId || permissions.isSupervisor ? (
                <button
                  type="button"
                  className="button button--small button--danger"
                  aria-label={t('tasks.attachments.deleteNamed', { name: attachment.filename })}
                  onClick={() => remove.mutate(attachment.fileId)}
                >
                  {t('tasks.dialog.delete')}
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      {permissions.canComment ? (
        <UploadZone
          purpose="task_attachment"
          title={t('tasks.attachments.upload')}
          label={t('tasks.attachments.choose')}
          hint={t('tasks.attachments.hint')}
          onUploaded={(file) => attach.mutate(file.id)}
        />
      ) : null}
    </section>
  );
}
