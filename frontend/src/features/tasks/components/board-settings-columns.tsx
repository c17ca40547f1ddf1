import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { CheckboxField } from '../../../components/checkbox-field';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { FormField } from '../../../components/form-field';
import { Spinner } from '../../../components/spinner';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import { ApiError, describeError, fieldErrorsOf } from '../../../lib/problem';
import { useCreateColumn } from '../api/create-column';
import { useDeleteColumn } from '../api/delete-column';
import { type BoardColumn, useListColumns } from '../api/list-columns';
import { useReorderColumn } from '../api/reorder-column';
import { useUpdateColumn } from '../api/update-column';

/** "" means no limit; otherwise a whole number from 1 to 10,000 (undefined when it is not). */
function parseWipLimit(text: string): { value: number | null } | undefined {
  const trimmed = text.trim();
  if (!trimmed) return { value: null };
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) return undefined;
  return { value };
}

/** Columns in order: add, rename, reorder (up/down), WIP limit, done and supervisors-only rules, delete. */
export function BoardSettingsColumns({ boardId }: { boardId: string }) {
  const t = useT();
  const columns = useListColumns(boardId);
  const create = useCreateColumn(boardId);
  const reorder = useReorderColumn(boardId);
  const remove = useDeleteColumn(boardId);
  const form = useFieldForm({ name: '' });
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string }>();
  const [deleting, setDeleting] = useState<BoardColumn>();

  const onSubmit = form.handleSubmit(
    () => ({
      name: form.values.name.trim() ? undefined : t('tasks.settings.columns.nameRequired'),
    }),
    async () => {
      setOutcome(undefined);
      const created = await create.mutateAsync({ name: form.values.name.trim() });
      form.setValues({ name: '' });
      setOutcome({
        tone: 'success',
        text: t('tasks.settings.columns.added', { name: created.name }),
      });
    },
  );

  async function move(column: BoardColumn, direction: 'up' | 'down') {
    const list = columns.data ?? [];
    const index = list.findIndex((entry) => entry.id === column.id);
    const neighbour = list[direction === 'up' ? index - 1 : index + 1];
    if (!neighbour) return;
    setOutcome(undefined);
    try {
      await reorder.mutateAsync(
        direction === 'up'
          ? { columnId: column.id, beforeId: neighbour.id }
          : { columnId: column.id, afterId: neighbour.id },
      );
      setOutcome({
        tone: 'success',
        text: t(
          direction === 'up'
            ? 'tasks.settings.columns.movedUp'
            : 'tasks.settings.columns.movedDown',
          {
            name: column.name,
          },
        ),
      });
    } catch (error) {
      setOutcome({ tone: 'error', text: describeError(error) });
    }
  }

  async function onDelete(column: BoardColumn) {
    await remove.mutateAsync(column.id);
    setDeleting(undefined);
    setOutcome({
      tone: 'success',
      text: t('tasks.settings.columns.deleted', { name: column.name }),
    });
  }

  function deleteRefusal(error: unknown, name: string) {
    if (error instanceof ApiError && error.code === 'column_not_empty') {
      return t('tasks.settings.columns.notEmpty', { name });
    }
    if (error instanceof ApiError && error.code === 'last_column') {
      return t('tasks.settings.columns.lastColumn');
    }
    return describeError(error);
  }

  const list = columns.data ?? [];
  return (
    <section className="card stack" aria-labelledby="board-columns-heading">
      <h2 id="board-columns-heading">{t('tasks.settings.columns.title')}</h2>
      {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      {columns.isPending ? <Spinner label={t('tasks.settings.columns.loading')} /> : null}
      {columns.isError ? <Alert tone="error">{describeError(columns.error)}</Alert> : null}
      {list.length ? (
        <ol className="settings-list" aria-label={t('tasks.settings.columns.list')}>
          {list.map((column, index) => (
            <li key={column.id} className="settings-list__row settings-list__row--column">
              <ColumnEditor boardId={boardId} column={column} />
              <div className="settings-list__actions">
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('tasks.settings.columns.moveUp', { name: column.name })}
                  disabled={index === 0 || reorder.isPending}
                  onClick={() => void move(column, 'up')}
                >
                  ←
                </button>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('tasks.settings.columns.moveDown', { name: column.name })}
                  disabled={index === list.length - 1 || reorder.isPending}
                  onClick={() => void move(column, 'down')}
                >
                  →
                </button>
                <button
                  type="button"
                  className="button button--small button--danger-quiet"
                  aria-label={t('tasks.settings.columns.deleteOf', { name: column.name })}
                  onClick={() => {
                    remove.reset();
                    setDeleting(column);
                  }}
                >
                  {t('tasks.settings.delete')}
                </button>
              </div>
            </li>
          ))}
        </ol>
      ) : null}

      <h3>{t('tasks.settings.columns.addTitle')}</h3>
      <ApiForm form={form} onSubmit={onSubmit} errorTitle={t('tasks.settings.columns.addFailed')}>
        <div className="settings-inline-form">
          <FormField
            label={t('tasks.settings.columns.newName')}
            maxLength={80}
            {...form.field('name')}
          />
          <SubmitButton busy={form.busy} busyLabel={t('tasks.settings.columns.adding')}>
            {t('tasks.settings.columns.add')}
          </SubmitButton>
        </div>
      </ApiForm>

      {deleting ? (
        <ConfirmDialog
          title={t('tasks.settings.columns.deleteConfirmTitle', { name: deleting.name })}
          confirmLabel={t('tasks.settings.delete')}
          danger
          busy={remove.isPending}
          error={
            remove.isError ? (
              <Alert tone="error" title={t('tasks.settings.columns.deleteRefused')}>
                {deleteRefusal(remove.error, deleting.name)}
              </Alert>
            ) : null
          }
          onConfirm={() => void onDelete(deleting).catch(() => undefined)}
          onCancel={() => setDeleting(undefined)}
        >
          <p>{t('tasks.settings.columns.deleteConfirmBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** One column's name, WIP limit and rules, saved together. */
function ColumnEditor({ boardId, column }: { boardId: string; column: BoardColumn }) {
  const t = useT();
  const update = useUpdateColumn(boardId);
  const [name, setName] = useState(column.name);
  const [wipLimit, setWipLimit] = useState(column.wipLimit === null ? '' : String(column.wipLimit));
  const [isDone, setIsDone] = useState(column.isDone);
  const [supervisorsOnly, setSupervisorsOnly] = useState(column.supervisorsOnlyMoveIn);
  const [errors, setErrors] = useState<{ name?: string; wipLimit?: string; form?: string }>({});
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const limit = parseWipLimit(wipLimit);
    const nameProblem = name.trim() ? undefined : t('tasks.settings.columns.nameRequired');
    const limitProblem = limit ? undefined : t('tasks.settings.columns.wipInvalid');
    if (nameProblem || !limit) {
      setErrors({ name: nameProblem, wipLimit: limitProblem });
      return;
    }
    setErrors({});
    try {
      await update.mutateAsync({
        columnId: column.id,
        changes: {
          name: name.trim(),
          wipLimit: limit.value,
          isDone,
          supervisorsOnlyMoveIn: supervisorsOnly,
        },
      });
      setSaved(true);
    } catch (error) {
      const { fields } = fieldErrorsOf(error);
      setErrors({
        name: fields.name,
        wipLimit: fields.wipLimit,
        form: fields.name || fields.wipLimit ? undefined : describeError(error),
      });
    }
  }

  return (
    <form
      className="settings-column"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-label={t('tasks.settings.columns.editorOf', { name: column.name })}
    >
      {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
      <div className="settings-inline-form">
        <FormField
          label={t('tasks.settings.columns.name')}
          value={name}
          maxLength={80}
          error={errors.name}
          onChange={(event) => {
            setSaved(false);
            setName(event.target.value);
          }}
        />
        <FormField
          label={t('tasks.settings.columns.wipLimit')}
          hint={t('tasks.settings.columns.wipHint')}
          className="field--narrow"
          inputMode="numeric"
          value={wipLimit}
          error={errors.wipLimit}
          onChange={(event) => {
            setSaved(false);
            setWipLimit(event.target.value);
          }}
        />
      </div>
      <CheckboxField
        label={t('tasks.settings.columns.isDone')}
        checked={isDone}
        onChange={(event) => {
          setSaved(false);
          setIsDone(event.target.checked);
        }}
      />
      <CheckboxField
        label={t('tasks.settings.columns.supervisorsOnly')}
        checked={supervisorsOnly}
        onChange={(event) => {
          setSaved(false);
          setSupervisorsOnly(event.target.checked);
        }}
      />
      <div className="form__actions">
        <button type="submit" className="button button--small" disabled={update.isPending}>
          {update.isPending ? t('tasks.settings.saving') : t('tasks.settings.save')}
        </button>
        {saved ? (
          <span role="status" className="muted">
            {t('tasks.settings.columns.saved', { name: name.trim() })}
          </span>
        ) : null}
      </div>
    </form>
  );
}
