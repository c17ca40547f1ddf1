import { FormField, type FormFieldProps } from '../../../components/form-field';
import { useT } from '../../../lib/i18n';

/** The account's email address; `autoComplete` says whether it names an existing account. */
export function EmailField(
  props: Omit<FormFieldProps, 'label' | 'type' | 'autoComplete'> & {
    autoComplete: 'email' | 'username';
  },
) {
  const t = useT();
  return <FormField {...props} label={t('auth.email')} type="email" required />;
}
