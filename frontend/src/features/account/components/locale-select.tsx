import { useId } from 'react';
import {
  activateLocale,
  isLocale,
  LOCALE_NAMES,
  LOCALES,
  rememberVisitorLocale,
  useLocale,
  useT,
} from '../../../lib/i18n';
import { useSession } from '../../../lib/session-store';
import { useUpdateMe } from '../api/update-me';

/**
 * The language of the pages (and, for a signed-in user, of the emails). A change applies at
 * once, without a reload; it is saved to the profile, or remembered on this device when signed out.
 */
export function LocaleSelect({ compact = false }: { compact?: boolean }) {
  const t = useT();
  const id = useId();
  const locale = useLocale();
  const session = useSession();
  const update = useUpdateMe();

  return (
    <div className={compact ? 'locale-select locale-select--compact' : 'field locale-select'}>
      <label htmlFor={id} className={compact ? 'visually-hidden' : 'field__label'}>
        {t('account.language.label')}
      </label>
      <select
        id={id}
        className="select"
        value={locale}
        disabled={update.isPending}
        onChange={(event) => {
          const next = event.target.value;
          if (!isLocale(next)) return;
          void activateLocale(next);
          if (session.status === 'signedIn') update.mutate({ locale: next });
          else rememberVisitorLocale(next);
        }}
      >
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
      {!compact && update.isError ? (
        <p className="field__error" role="alert">
          {t('account.language.notSaved')}
        </p>
      ) : null}
    </div>
  );
}
