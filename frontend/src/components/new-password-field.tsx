import { t, useT } from '../lib/i18n';
import { FormField, type FormFieldProps } from './form-field';

/** The server's rules, checked early for comfort; it also refuses passwords on its common list. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

export function checkNewPassword(password: string): string | undefined {
  if (!password) return t('common.password.required');
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    return t('common.password.tooShort', { min: PASSWORD_MIN_LENGTH });
  }
  if ([...password].length > PASSWORD_MAX_LENGTH) {
    return t('common.password.tooLong', { max: PASSWORD_MAX_LENGTH });
  }
  return undefined;
}

/** A field for choosing a password (sign-up, reset, change): the rules shown as its hint. */
export function NewPasswordField(props: Omit<FormFieldProps, 'type' | 'autoComplete' | 'hint'>) {
  const t = useT();
  return (
    <FormField
      {...props}
      type="password"
      autoComplete="new-password"
      hint={t('common.password.hint', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })}
      required
    />
  );
}
