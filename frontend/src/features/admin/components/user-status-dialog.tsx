import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import type { AdminUser } from '../api/list-users';
import { useSetUserDisabled } from '../api/set-user-disabled';

export interface UserStatusDialogProps {
  user: AdminUser;
  onDone: (user: AdminUser) => void;
  onCancel: () => void;
}

/** Confirms disabling (signs the user out everywhere) or enabling a user. */
export function UserStatusDialog({ user, onDone, onCancel }: UserStatusDialogProps) {
  const t = useT();
  const setDisabled = useSetUserDisabled();
  const disable = user.status !== 'disabled';
  return (
    <ConfirmDialog
      title={t(disable ? 'admin.status.disableTitle' : 'admin.status.enableTitle', {
        email: user.email,
      })}
      confirmLabel={
        setDisabled.isPending
          ? t(disable ? 'admin.status.disabling' : 'admin.status.enabling')
          : t(disable ? 'admin.status.disable' : 'admin.status.enable')
      }
      danger={disable}
      busy={setDisabled.isPending}
      error={
        setDisabled.isError ? (
          <Alert tone="error">{describeError(setDisabled.error)}</Alert>
        ) : undefined
      }
      onCancel={onCancel}
      onConfirm={() =>
        setDisabled.mutate({ id: user.id, disabled: disable }, { onSuccess: onDone })
      }
    >
      {disable ? <p>{t('admin.status.disableBody')}</p> : <p>{t('admin.status.enableBody')}</p>}
    </ConfirmDialog>
  );
}
