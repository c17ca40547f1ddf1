import { useEffect, useId, useState } from 'react';
import { useT } from '../../../lib/i18n';
import { ApiError } from '../../../lib/problem';
import {
  type NotificationPreferences,
  usePreferences,
  useSavePreferences,
} from '../api/preferences';

import {
  CATEGORIES,
  CATEGORY_KEYS,
  type Category,
  TIMING_KEYS,
  TIMINGS,
  type Timing,
} from './labels';

const HOURS = Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`);

/** The account page's notification settings: per event, in-app and email and when; time zone. */
export function NotificationPreferencesSection() {
  const t = useT();
  const zoneId = useId();
  const hourId = useId();
  const saved = usePreferences();
  const save = useSavePreferences();
  const [draft, setDraft] = useState<NotificationPreferences | null>(null);
  useEffect(() => {
    if (saved.data) setDraft(saved.data);
  }, [saved.data]);

  if (!draft) {
    return <p className="muted">{t('notifications.preferences.loading')}</p>;
  }
  const setEvent = (
    category: Category,
    change: Partial<NotificationPreferences['events'][Category]>,
  ) =>
    setDraft({
      ...draft,
      events: { ...draft.events, [category]: { ...draft.events[category], ...change } },
    });
  const zoneError =
    save.error instanceof ApiError
      ? save.error.problem.errors?.find((error) => error.field === '/body/timeZone')?.message
      : undefined;

  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft);
      }}
    >
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('notifications.preferences.event')}</th>
            <th scope="col">{t('notifications.preferences.inApp')}</th>
            <th scope="col">{t('notifications.preferences.email')}</th>
            <th scope="col">{t('notifications.preferences.timing')}</th>
          </tr>
        </thead>
        <tbody>
          {CATEGORIES.map((category) => {
            const name = t(CATEGORY_KEYS[category]);
            const value = draft.events[category];
            return (
              <tr key={category}>
                <th scope="row">{name}</th>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('notifications.preferences.inAppFor', { name })}
                    checked={value.inApp}
                    onChange={(event) => setEvent(category, { inApp: event.target.checked })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('notifications.preferences.emailFor', { name })}
                    checked={value.email}
                    onChange={(event) => setEvent(category, { email: event.target.checked })}
                  />
                </td>
                <td>
                  <select
                    className="select"
                    aria-label={t('notifications.preferences.timingFor', { name })}
                    value={value.timing}
                    disabled={!value.email}
                    onChange={(event) =>
                      setEvent(category, { timing: event.target.value as Timing })
                    }
                  >
                    {TIMINGS.map((timing) => (
                      <option key={timing} value={timing}>
                        {t(TIMING_KEYS[timing])}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="field">
        <label className="field__label" htmlFor={hourId}>
          {t('notifications.preferences.dailyHour')}
        </label>
        <select
          id={hourId}
          className="select"
          value={draft.dailyDigestHour}
          onChange={(event) => setDraft({ ...draft, dailyDigestHour: Number(event.target.value) })}
        >
          {HOURS.map((label, hour) => (
            <option key={label} value={hour}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={zoneId}>
          {t('notifications.preferences.timeZone')}
        </label>
        <input
          id={zoneId}
          className="input"
          value={draft.timeZone}
          aria-invalid={zoneError ? true : undefined}
          aria-describedby={zoneError ? `${zoneId}-error` : undefined}
          onChange={(event) => setDraft({ ...draft, timeZone: event.target.value })}
        />
        {zoneError ? (
          <p id={`${zoneId}-error`} className="field__error">
            {t('notifications.preferences.badTimeZone')}
          </p>
        ) : null}
      </div>
      <div>
        <button type="submit" className="button" disabled={save.isPending}>
          {t('notifications.preferences.save')}
        </button>
        {save.isSuccess ? (
          <p role="status" className="muted">
            {t('notifications.preferences.saved')}
          </p>
        ) : null}
      </div>
    </form>
  );
}
