import { useId, useState } from 'react';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { CheckboxField } from '../../../components/checkbox-field';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { FormField } from '../../../components/form-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import type { Board } from '../api/find-board-by-key';
import { useUpdateBoard } from '../api/update-board';
import { BoardSettingsDueSoon } from './board-settings-due-soon';

/** Name, description, whether viewers may comment, the "due soon" hours, and archiving. */
export function BoardSettingsGeneral({ board }: { board: Board }) {
  const t = useT();
  const descriptionId = useId();
  const update = useUpdateBoard(board.id);
  const archive = useUpdateBoard(board.id);
  const form = useFieldForm({ name: board.name, description: board.description });
  const [viewersCanComment, setViewersCanComment] = useState(board.viewersCanComment);
  const [saved, setSaved] = useState(false);
  const [confirmingArchive, setConfirmingArchive] = useState(false);

  const onSubmit = form.handleSubmit(
    () => ({
      name: form.values.name.trim() ? undefined : t('tasks.settings.general.nameRequired'),
    }),
    async () => {
      setSaved(false);
      await update.mutateAsync({
        name: form.values.name.trim(),
        description: form.values.description,
        viewersCanComment,
      });
      setSaved(true);
    },
  );

  async function toggleArchived() {
    await archive.mutateAsync({ archived: !board.archived });
    setConfirmingArchive(false);
  }

  return (
    <section className="card stack" aria-labelledby="board-general-heading">
      <h2 id="board-general-heading">{t('tasks.settings.general.title')}</h2>
      <ApiForm
        form={form}
        onSubmit={onSubmit}
        errorTitle={t('tasks.settings.saveFailed')}
        notices={
          saved && !form.formError ? (
            <Alert tone="success">{t('tasks.settings.general.saved')}</Alert>
          ) : null
        }
      >
        <FormField
          label={t('tasks.settings.general.name')}
          maxLength={120}
          required
          {...form.field('name')}
          onChange={(event) => {
            setSaved(false);
            form.field('name').onChange(event);
          }}
        />
        <div className={`field${form.errors.description ? ' field--invalid' : ''}`}>
          <label className="field__label" htmlFor={descriptionId}>
            {t('tasks.settings.general.description')}
          </label>
          <textarea
            id={descriptionId}
            className="field__input board-settings__textarea"
            rows={4}
            value={form.values.description}
            aria-invalid={form.errors.description ? true : undefined}
            onChange={(event) => {
              const { value } = event.target;
              setSaved(false);
              form.setValues((current) => ({ ...current, description: value }));
              form.clearError('description');
            }}
          />
          {form.errors.description ? (
            <p className="field__error">{form.errors.description}</p>
          ) : null}
        </div>
        <CheckboxField
          label={t('tasks.settings.general.viewersCanComment')}
          hint={t('tasks.settings.general.viewersCanCommentHint')}
          checked={viewersCanComment}
          onChange={(event) => {
            setSaved(false);
            setViewersCanComment(event.target.checked);
          }}
        />
        <div className="form__actions">
          <SubmitButton busy={form.busy} busyLabel={t('tasks.settings.saving')}>
            {t('tasks.settings.save')}
          </SubmitButton>
        </div>
      </ApiForm>

      <BoardSettingsDueSoon boardId={board.id} />

      <div className="stack board-settings__archive">
        <h3>
          {board.archived
            ? t('tasks.settings.archive.archivedTitle')
            : t('tasks.settings.archive.title')}
        </h3>
        <p className="muted">
          {board.archived
            ? t('tasks.settings.archive.archivedHint')
            : t('tasks.settings.archive.hint')}
        </p>
        <div>
          <button
            type="button"
            className={board.archived ? 'button' : 'button button--danger-quiet'}
            onClick={() => {
              archive.reset();
              setConfirmingArchive(true);
            }}
          >
            {board.archived
              ? t('tasks.settings.archive.restore')
              : t('tasks.settings.archive.action')}
          </button>
        </div>
      </div>
      {confirmingArchive ? (
        <ConfirmDialog
          title={
            board.archived
              ? t('tasks.settings.archive.restoreConfirmTitle', { name: board.name })
              : t('tasks.settings.archive.confirmTitle', { name: board.name })
          }
          confirmLabel={
            board.archived
              ? t('tasks.settings.archive.restore')
              : t('tasks.settings.archive.action')
          }
          danger={!board.archived}
          busy={archive.isPending}
          error={
            archive.isError ? <Alert tone="error">{describeError(archive.error)}</Alert> : null
          }
          onConfirm={() => void toggleArchived().catch(() => undefined)}
          onCancel={() => setConfirmingArchive(false)}
        >
          <p>
            {board.archived
              ? t('tasks.settings.archive.restoreConfirmBody')
              : t('tasks.settings.archive.confirmBody')}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
