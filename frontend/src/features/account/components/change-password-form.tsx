import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { FormField } from '../../../components/form-field';
import { checkNewPassword, NewPasswordField } from '../../../components/new-password-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useChangePassword } from '../api/change-password';

export function ChangePasswordForm() {
  const [done, setDone] = useState(false);
  const change = useChangePassword();
  const form = useFieldForm({ currentPassword: '', newPassword: '' });
  const { currentPassword, newPassword } = form.values;

  const onSubmit = form.handleSubmit(
    () => ({
      currentPassword: currentPassword ? undefined : 'Enter your current password.',
      newPassword: checkNewPassword(newPassword),
    }),
    async () => {
      setDone(false);
      await change.mutateAsync({ currentPassword, newPassword });
      form.setValues({ currentPassword: '', newPassword: '' });
      setDone(true);
    },
  );

  return (
    <ApiForm
      form={form}
      onSubmit={onSubmit}
      errorTitle="Password not changed"
      notices={
        done ? (
          <Alert tone="success">Password changed. Your other devices were signed out.</Alert>
        ) : null
      }
    >
      <FormField
        label="Current password"
        type="password"
        autoComplete="current-password"
        {...form.field('currentPassword')}
        required
      />
      <NewPasswordField label="New password" {...form.field('newPassword')} />
      <div className="form__actions">
        <SubmitButton busy={form.busy} busyLabel="Saving…">
          Change password
        </SubmitButton>
      </div>
    </ApiForm>
  );
}
