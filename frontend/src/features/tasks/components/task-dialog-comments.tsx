import { useId, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { DateTime } from '../../../components/date-time';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { type TaskComment, useCommentAction, useComments } from '../api/comments';
import type { Task } from '../api/get-task';
import type { BoardMember, TaskBoard } from '../api/get-task-board';
import type { TaskPermissions } from '../hooks/use-task-permissions';
import { EditorActions } from './editor-actions';
import { Markdown } from './markdown';
import { memberName } from './task-people';

const MENTION = /(?:^|\s)@([^\s@]*)$/;

/** The `@word` being typed just before the caret, if any. */
function mentionAt(text: string, caret: number) {
  const match = MENTION.exec(text.slice(0, caret));
  if (!match) return undefined;
  const query = match[1] ?? '';
  return { query, start: caret - query.length - 1 };
}

/**
 * A Markdown comment box that offers board members after `@` (ArrowUp/Down to choose, Enter or
 * Tab to insert `@their@address`, Escape to dismiss); the server resolves the mentions.
 */
function CommentComposer({
  members,
  value,
  onChange,
  label,
}: {
  members: readonly BoardMember[];
  value: string;
  onChange: (value: string) => void;
  label: string;
}) {
  const t = useT();
  const id = useId();
  const input = useRef<HTMLTextAreaElement>(null);
  const [mention, setMention] = useState<{ query: string; start: number }>();
  const [active, setActive] = useState(0);
  const query = mention?.query.toLowerCase() ?? '';
  const matches = mention
    ? members
        .filter(
          (member) =>
            member.email.toLowerCase().startsWith(query) ||
            (member.displayName ?? '').toLowerCase().includes(query),
        )
        .slice(0, 6)
    : [];
  const open = matches.length > 0;

  function track(text: string, caret: number) {
    setMention(mentionAt(text, caret));
    setActive(0);
  }

  function insert(member: BoardMember) {
    if (!mention) return;
    const caret = mention.start + 1 + mention.query.length;
    const next = `${value.slice(0, mention.start)}@${member.email} ${value.slice(caret)}`;
    onChange(next);
    setMention(undefined);
    const position = mention.start + member.email.length + 2;
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(position, position);
    });
  }

  return (
    <div className="mention-box">
      <label htmlFor={`${id}-input`}>{label}</label>
      <textarea
        ref={input}
        id={`${id}-input`}
        className="markdown-editor__input"
        rows={3}
        value={value}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={`${id}-mentions`}
        aria-activedescendant={open ? `${id}-mention-${active}` : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          onChange(event.target.value);
          track(event.target.value, event.target.selectionStart);
        }}
        onKeyDown={(event) => {
          if (!open) return;
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            const step = event.key === 'ArrowDown' ? 1 : -1;
            setActive((current) => (current + step + matches.length) % matches.length);
          } else if (event.key === 'Enter' || event.key === 'Tab') {
            const member = matches[active];
            if (member) {
              event.preventDefault();
              insert(member);
            }
          } else if (event.key === 'Escape') {
            event.stopPropagation();
            setMention(undefined);
          }
        }}
      />
      <p id={`${id}-hint`} className="field__hint">
        {t('tasks.comments.hint')}
      </p>
      <div
        id={`${id}-mentions`}
        role="listbox"
        aria-label={t('tasks.comments.mentionList')}
        className="mention-box__list"
        hidden={!open}
      >
        {matches.map((member, index) => (
          <div
            key={member.userId}
            id={`${id}-mention-${index}`}
            role="option"
            tabIndex={-1}
            aria-selected={index === active}
            className={
              index === active
                ? 'mention-box__option mention-box__option--active'
                : 'mention-box__option'
            }
            onMouseDown={(event) => {
              event.preventDefault();
              insert(member);
            }}
          >
            {member.displayName ? `${member.displayName} · ${member.email}` : member.email}
          </div>
        ))}
      </div>
    </div>
  );
}

function CommentItem({
  comment,
  task,
  board,
  permissions,
}: {
  comment: TaskComment;
  task: Task;
  board: TaskBoard;
  permissions: TaskPermissions;
}) {
  const t = useT();
  const action = useCommentAction(task.id);
  const [draft, setDraft] = useState<string>();
  const author =
    comment.importedAuthor ?? memberName(board.members, comment.authorId) ?? t('tasks.someone');
  if (comment.deleted) {
    return (
      <li className="comment comment--deleted">
        <p>{t('tasks.comments.deleted')}</p>
      </li>
    );
  }
  const own = comment.authorId === permissions.userId;
  const canDelete = own || permissions.isSupervisor;
  return (
    <li className="comment">
      <p className="comment__meta">
        <strong>{author}</strong> <DateTime value={comment.createdAt} relative />
        {comment.editedAt ? ` · ${t('tasks.comments.edited')}` : ''}
      </p>
      {action.error ? (
        <Alert tone="error">
          <p>{describeError(action.error)}</p>
        </Alert>
      ) : null}
      {draft === undefined ? (
        <Markdown source={comment.content} />
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const content = draft.trim();
            if (!content) return;
            action.mutate(
              { kind: 'edit', commentId: comment.id, content },
              { onSuccess: () => setDraft(undefined) },
            );
          }}
        >
          <CommentComposer
            members={board.members}
            value={draft}
            onChange={setDraft}
            label={t('tasks.comments.editLabel')}
          />
          <EditorActions onCancel={() => setDraft(undefined)} />
        </form>
      )}
      {draft === undefined && (own || canDelete) ? (
        <div className="task-dialog__actions">
          {own ? (
            <button
              type="button"
              className="button button--small"
              aria-label={t('tasks.comments.editNamed', { author })}
              onClick={() => setDraft(comment.content)}
            >
              {t('tasks.dialog.edit')}
            </button>
          ) : null}
          {canDelete ? (
            <button
              type="button"
              className="button button--small button--danger"
              aria-label={t('tasks.comments.deleteNamed', { author })}
              onClick={() => action.mutate({ kind: 'delete', commentId: comment.id })}
            >
              {t('tasks.dialog.delete')}
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

export function TaskComments({
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
  const comments = useComments(task.id);
  const action = useCommentAction(task.id);
  const [draft, setDraft] = useState('');
  return (
    <section className="task-dialog__section" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('tasks.comments.title')}</h3>
      {comments.error ? (
        <Alert tone="error">
          <p>{describeError(comments.error)}</p>
        </Alert>
      ) : null}
      <ul className="comments">
        {(comments.data?.items ?? []).map((comment) => (
          <CommentItem
            key={comment.id}
            comment={comment}
            task={task}
            board={board}
            permissions={permissions}
          />
        ))}
      </ul>
      {permissions.canComment ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const content = draft.trim();
            if (!content) return;
            action.mutate({ kind: 'add', content }, { onSuccess: () => setDraft('') });
          }}
        >
          <CommentComposer
            members={board.members}
            value={draft}
            onChange={setDraft}
            label={t('tasks.comments.new')}
          />
          {action.error ? (
            <Alert tone="error">
              <p>{describeError(action.error)}</p>
            </Alert>
          ) : null}
          <button
            type="submit"
            className="button button--primary button--small"
            disabled={action.isPending}
          >
            {t('tasks.comments.add')}
          </button>
        </form>
      ) : (
        <p className="field__hint">{t('tasks.comments.readOnly')}</p>
      )}
    </section>
  );
}
