import { FormField, type FormFieldProps } from '../../../components/form-field';

/** The account's email address; `autoComplete` says whether it names an existing account. */
export function EmailField(
  props: Omit<FormFieldProps, 'label' | 'type' | 'autoComplete'> & {
    autoComplete: 'email' | 'username';
  },
) {
  return <FormField {...props} label="Email" type="email" required />;
}
