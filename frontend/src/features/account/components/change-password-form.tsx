import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { FormField } from '../../../components/form-field';
import { checkNewPassword, NewPasswordField } from '../../../components/new-password-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import { useChangePassword } from '../api/change-password';

export function ChangePasswordForm() {
  const t = useT();
  const [done, setDone] = useState(false);
  const change = useChangePassword();
  const form = useFieldForm({ currentPassword: '', newPassword: '' });
  const { currentPassword, newPassword } = form.values;

  const onSubmit = form.handleSubmit(
    () => ({
      currentPassword: currentPassword ? undefined : t('account.password.currentRequired'),
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
      errorTitle={t('account.password.failed')}
      notices={done ? <Alert tone="success">{t('account.password.changed')}</Alert> : null}
    >
      <FormField
        label={t('account.password.current')}
        type="password"
        autoComplete="current-password"
        {...form.field('currentPassword')}
        required
      />
      <NewPasswordField label={t('account.password.new')} {...form.field('newPassword')} />
      <div className="form__actions">
        <SubmitButton busy={form.busy} busyLabel={t('account.saving')}>
          {t('account.password.submit')}
        </SubmitButton>
      </div>
    </ApiForm>
  );
}
