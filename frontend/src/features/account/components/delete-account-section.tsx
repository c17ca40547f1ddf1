import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { FormField } from '../../../components/form-field';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useApiForm } from '../../../lib/use-api-form';
import { useDeleteAccount } from '../api/delete-account';

export function DeleteAccountSection() {
  const t = useT();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteAccount();
  const form = useApiForm(['password'] as const);

  const onSubmit = form.handleSubmit(
    () => ({ password: password ? undefined : t('account.delete.passwordRequired') }),
    async () => setConfirming(true),
  );

  function onConfirm() {
    remove.mutate(
      { password },
      {
        onSuccess: () =>
          navigate('/sign-in', {
            replace: true,
            state: { message: t('account.delete.done') },
          }),
        onError: (error) => {
          setConfirming(false);
          form.setFormError(error);
        },
      },
    );
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <p>{t('account.delete.intro')}</p>
      {form.formError ? (
        <Alert tone="error" title={t('account.delete.failed')}>
          {describeError(form.formError)}
        </Alert>
      ) : null}
      <FormField
        label={t('account.delete.password')}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => {
          setPassword(event.target.value);
          form.clearError('password');
          form.setFormError(null);
        }}
        error={form.errors.password}
        required
      />
      <div className="form__actions">
        <button type="submit" className="button button--danger">
          {t('account.delete.submit')}
        </button>
      </div>
      {confirming ? (
        <ConfirmDialog
          title={t('account.delete.confirmTitle')}
          confirmLabel={
            remove.isPending ? t('account.delete.deleting') : t('account.delete.confirm')
          }
          danger
          busy={remove.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={onConfirm}
        >
          <p>{t('account.delete.confirmBody')}</p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}
