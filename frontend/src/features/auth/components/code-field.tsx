import { FormField, type FormFieldProps } from '../../../components/form-field';
import { useT } from '../../../lib/i18n';

/** Spaces are dropped as typed: people copy codes from emails with them. */
export const withoutSpaces = (value: string) => value.replace(/\s/g, '');

/** The 6-digit code from a confirmation or reset email. */
export function CodeField(props: Omit<FormFieldProps, 'label'>) {
  const t = useT();
  return (
    <FormField
      {...props}
      label={t('auth.code')}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      className="field--narrow"
      required
    />
  );
}
