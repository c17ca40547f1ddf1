import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { FormField } from '../../../components/form-field';
import { Spinner } from '../../../components/spinner';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import { describeError, fieldErrorsOf } from '../../../lib/problem';
import { useCreateLabel } from '../api/create-label';
import { useDeleteLabel } from '../api/delete-label';
import { type BoardLabel, useListLabels } from '../api/list-labels';
import { useUpdateLabel } from '../api/update-label';

const DEFAULT_LABEL_COLOR = '#3b82f6';

/** Labels: add, rename, recolour, delete (asks first; the label leaves its tasks). */
export function BoardSettingsLabels({ boardId }: { boardId: string }) {
  const t = useT();
  const labels = useListLabels(boardId);
  const create = useCreateLabel(boardId);
  const remove = useDeleteLabel(boardId);
  const form = useFieldForm({ name: '', color: DEFAULT_LABEL_COLOR });
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string }>();
  const [deleting, setDeleting] = useState<BoardLabel>();

  const onSubmit = form.handleSubmit(
    () => ({ name: form.values.name.trim() ? undefined : t('tasks.settings.labels.nameRequired') }),
    async () => {
      setOutcome(undefined);
      const created = await create.mutateAsync({
        name: form.values.name.trim(),
        color: form.values.color,
      });
      form.setValues({ name: '', color: DEFAULT_LABEL_COLOR });
      setOutcome({
        tone: 'success',
        text: t('tasks.settings.labels.added', { name: created.name }),
      });
    },
  );

  async function onDelete(label: BoardLabel) {
    await remove.mutateAsync(label.id);
    setDeleting(undefined);
    setOutcome({ tone: 'success', text: t('tasks.settings.labels.deleted', { name: label.name }) });
  }

  return (
    <section className="card stack" aria-labelledby="board-labels-heading">
      <h2 id="board-labels-heading">{t('tasks.settings.labels.title')}</h2>
      {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      {labels.isPending ? <Spinner label={t('tasks.settings.labels.loading')} /> : null}
      {labels.isError ? <Alert tone="error">{describeError(labels.error)}</Alert> : null}
      {labels.data?.length === 0 ? (
        <p className="muted">{t('tasks.settings.labels.none')}</p>
      ) : null}
      {labels.data?.length ? (
        <ul className="settings-list" aria-label={t('tasks.settings.labels.list')}>
          {labels.data.map((label) => (
            <li key={label.id} className="settings-list__row">
              <LabelEditor boardId={boardId} label={label} />
              <div className="settings-list__actions">
                <button
                  type="button"
                  className="button button--small button--danger-quiet"
                  aria-label={t('tasks.settings.labels.deleteOf', { name: label.name })}
                  onClick={() => {
                    remove.reset();
                    setDeleting(label);
                  }}
                >
                  {t('tasks.settings.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}

      <h3>{t('tasks.settings.labels.addTitle')}</h3>
      <ApiForm form={form} onSubmit={onSubmit} errorTitle={t('tasks.settings.labels.addFailed')}>
        <div className="settings-inline-form">
          <FormField
            label={t('tasks.settings.labels.newName')}
            maxLength={50}
            {...form.field('name')}
          />
          <FormField
            label={t('tasks.settings.labels.newColor')}
            type="color"
            className="field--narrow"
            {...form.field('color')}
          />
          <SubmitButton busy={form.busy} busyLabel={t('tasks.settings.labels.adding')}>
            {t('tasks.settings.labels.add')}
          </SubmitButton>
        </div>
      </ApiForm>

      {deleting ? (
        <ConfirmDialog
          title={t('tasks.settings.labels.deleteConfirmTitle', { name: deleting.name })}
          confirmLabel={t('tasks.settings.delete')}
          danger
          busy={remove.isPending}
          error={remove.isError ? <Alert tone="error">{describeError(remove.error)}</Alert> : null}
          onConfirm={() => void onDelete(deleting).catch(() => undefined)}
          onCancel={() => setDeleting(undefined)}
        >
          <p>{t('tasks.settings.labels.deleteConfirmBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** One label's name and colour, saved together. */
function LabelEditor({ boardId, label }: { boardId: string; label: BoardLabel }) {
  const t = useT();
  const update = useUpdateLabel(boardId);
  const [name, setName] = useState(label.name);
  const [color, setColor] = useState(label.color.toLowerCase());
  const [errors, setErrors] = useState<{ name?: string; form?: string }>({});
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    if (!name.trim()) {
      setErrors({ name: t('tasks.settings.labels.nameRequired') });
      return;
    }
    setErrors({});
    try {
      await update.mutateAsync({ labelId: label.id, changes: { name: name.trim(), color } });
      setSaved(true);
    } catch (error) {
      const { fields } = fieldErrorsOf(error);
      setErrors(fields.name ? { name: fields.name } : { form: describeError(error) });
    }
  }

  return (
    <form
      className="settings-label"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-label={t('tasks.settings.labels.editorOf', { name: label.name })}
    >
      {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
      <div className="settings-inline-form">
        <span className="label-swatch" style={{ backgroundColor: color }} aria-hidden="true" />
        <FormField
          label={t('tasks.settings.labels.name')}
          value={name}
          maxLength={50}
          error={errors.name}
          onChange={(event) => {
            setSaved(false);
            setName(event.target.value);
          }}
        />
        <FormField
          label={t('tasks.settings.labels.color')}
          type="color"
          className="field--narrow"
          value={color}
          onChange={(event) => {
            setSaved(false);
            setColor(event.target.value);
          }}
        />
        <button type="submit" className="button button--small" disabled={update.isPending}>
          {update.isPending ? t('tasks.settings.saving') : t('tasks.settings.save')}
        </button>
        {saved ? (
          <span role="status" className="muted">
            {t('tasks.settings.labels.saved', { name: name.trim() })}
          </span>
        ) : null}
      </div>
    </form>
  );
}
