import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { FormField } from '../../../components/form-field';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { describeError, fieldErrorsOf } from '../../../lib/problem';
import { sentence } from '../../../lib/sentence';
import { useReminderSettings } from '../api/get-reminder-settings';
import {
  DUE_SOON_HOURS_MAX,
  DUE_SOON_HOURS_MIN,
  useSetReminderSettings,
} from '../api/set-reminder-settings';

/** How many hours before a task's due date its "due soon" reminder goes out. */
export function BoardSettingsDueSoon({ boardId }: { boardId: string }) {
  const t = useT();
  const settings = useReminderSettings(boardId);
  const save = useSetReminderSettings(boardId);
  const [hours, setHours] = useState('');
  const [error, setError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const loaded = settings.data?.dueSoonHours;

  useEffect(() => {
    if (loaded !== undefined) setHours(String(loaded));
  }, [loaded]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    setFormError(undefined);
    const value = Number(hours.trim());
    if (
      !hours.trim() ||
      !Number.isInteger(value) ||
      value < DUE_SOON_HOURS_MIN ||
      value > DUE_SOON_HOURS_MAX
    ) {
      setError(
        t('tasks.settings.dueSoon.invalid', { min: DUE_SOON_HOURS_MIN, max: DUE_SOON_HOURS_MAX }),
      );
      event.currentTarget.querySelector<HTMLElement>('input')?.focus();
      return;
    }
    setError(undefined);
    try {
      await save.mutateAsync(value);
      setSaved(true);
    } catch (failure) {
      const { fields } = fieldErrorsOf(failure);
      if (fields.dueSoonHours) setError(sentence(fields.dueSoonHours));
      else setFormError(describeError(failure));
    }
  }

  return (
    <div className="stack board-settings__due-soon">
      <h3>{t('tasks.settings.dueSoon.title')}</h3>
      {settings.isPending ? <Spinner label={t('tasks.settings.dueSoon.loading')} /> : null}
      {settings.isError ? <Alert tone="error">{describeError(settings.error)}</Alert> : null}
      {settings.isSuccess ? (
        <form
          className="form"
          onSubmit={(event) => void onSubmit(event)}
          noValidate
          aria-label={t('tasks.settings.dueSoon.title')}
          aria-busy={save.isPending || undefined}
        >
          {formError ? (
            <Alert tone="error" title={t('tasks.settings.saveFailed')}>
              {formError}
            </Alert>
          ) : null}
          {saved ? <Alert tone="success">{t('tasks.settings.dueSoon.saved')}</Alert> : null}
          <div className="settings-inline-form">
            <FormField
              label={t('tasks.settings.dueSoon.hours')}
              hint={t('tasks.settings.dueSoon.hint', {
                min: DUE_SOON_HOURS_MIN,
                max: DUE_SOON_HOURS_MAX,
              })}
              type="number"
              inputMode="numeric"
              min={DUE_SOON_HOURS_MIN}
              max={DUE_SOON_HOURS_MAX}
              step={1}
              className="field--narrow"
              value={hours}
              error={error}
              onChange={(event) => {
                setSaved(false);
                setError(undefined);
                setHours(event.target.value);
              }}
            />
            <button type="submit" className="button" disabled={save.isPending}>
              {save.isPending ? t('tasks.settings.saving') : t('tasks.settings.dueSoon.save')}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
