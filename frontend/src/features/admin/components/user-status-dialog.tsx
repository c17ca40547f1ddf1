import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
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
  const setDisabled = useSetUserDisabled();
  const disable = user.status !== 'disabled';
  const action = disable ? 'Disable' : 'Enable';
  return (
    <ConfirmDialog
      title={`${action} ${user.email}?`}
      confirmLabel={setDisabled.isPending ? `${action.slice(0, -1)}ing…` : action}
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
      {disable ? (
        <p>
          They are signed out on every device at once and cannot sign in until the account is
          enabled again.
        </p>
      ) : (
        <p>They can sign in again with their password.</p>
      )}
    </ConfirmDialog>
  );
}
