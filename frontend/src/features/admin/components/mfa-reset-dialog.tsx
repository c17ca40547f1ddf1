import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { useT } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';
import type { AdminUser } from '../api/list-users';
import { useResetUserMfa } from '../api/reset-user-mfa';

export interface MfaResetDialogProps {
  user: AdminUser;
  onDone: (user: AdminUser) => void;
  onCancel: () => void;
}

/**
 * Confirms removing a user's authenticator (they lost it and their recovery codes). An admin
 * whose own session did not use a second factor is refused by the server: say what to do.
 */
export function MfaResetDialog({ user, onDone, onCancel }: MfaResetDialogProps) {
  const t = useT();
  const reset = useResetUserMfa();
  const error = reset.error;
  return (
    <ConfirmDialog
      title={t('admin.mfa.resetTitle', { email: user.email })}
      confirmLabel={reset.isPending ? t('admin.mfa.resetting') : t('admin.mfa.reset')}
      danger
      busy={reset.isPending}
      error={
        error ? (
          <Alert tone="error">
            {error instanceof ApiError && error.code === 'mfa_required'
              ? t('admin.mfa.needsSecondFactor')
              : describeError(error)}
          </Alert>
        ) : undefined
      }
      onCancel={onCancel}
      onConfirm={() => reset.mutate(user.id, { onSuccess: () => onDone(user) })}
    >
      <p>{t('admin.mfa.resetBody')}</p>
    </ConfirmDialog>
  );
}
