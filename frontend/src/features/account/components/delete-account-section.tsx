import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { FormField } from '../../../components/form-field';
import { describeError } from '../../../lib/problem';
import { useApiForm } from '../../../lib/use-api-form';
import { useDeleteAccount } from '../api/delete-account';

export function DeleteAccountSection() {
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteAccount();
  const form = useApiForm(['password'] as const);

  const onSubmit = form.handleSubmit(
    () => ({ password: password ? undefined : 'Enter your password to confirm.' }),
    async () => setConfirming(true),
  );

  function onConfirm() {
    remove.mutate(
      { password },
      {
        onSuccess: () =>
          navigate('/sign-in', {
            replace: true,
            state: { message: 'Your account was deleted. Goodbye.' },
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
      <p>
        Deleting your account signs out every device and removes your items and files. This cannot
        be undone.
      </p>
      {form.formError ? (
        <Alert tone="error" title="Account not deleted">
          {describeError(form.formError)}
        </Alert>
      ) : null}
      <FormField
        label="Password"
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
          Delete my account
        </button>
      </div>
      {confirming ? (
        <ConfirmDialog
          title="Delete your account?"
          confirmLabel={remove.isPending ? 'Deleting…' : 'Delete account'}
          danger
          busy={remove.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={onConfirm}
        >
          <p>Everything in it is removed for good.</p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}
