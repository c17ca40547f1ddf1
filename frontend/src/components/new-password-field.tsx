import { FormField, type FormFieldProps } from './form-field';

/** The server's rules, checked early for comfort; it also refuses passwords on its common list. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_HINT = `${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters; a passphrase of a few words works well.`;

export function checkNewPassword(password: string): string | undefined {
  if (!password) return 'Enter a password.';
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if ([...password].length > PASSWORD_MAX_LENGTH) {
    return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  }
  return undefined;
}

/** A field for choosing a password (sign-up, reset, change): the rules shown as its hint. */
export function NewPasswordField(props: Omit<FormFieldProps, 'type' | 'autoComplete' | 'hint'>) {
  return (
    <FormField
      {...props}
      type="password"
      autoComplete="new-password"
      hint={PASSWORD_HINT}
      required
    />
  );
}
