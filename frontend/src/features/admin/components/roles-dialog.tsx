import { useId, useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { describeError, fieldErrorsOf } from '../../../lib/problem';
import type { Role } from '../../../lib/session-store';
import type { AdminUser } from '../api/list-users';
import { useSetUserRoles } from '../api/set-user-roles';

const ROLES: readonly { role: Role; label: string }[] = [
  { role: 'admin', label: 'Admin' },
  { role: 'supervisor', label: 'Supervisor' },
  { role: 'member', label: 'Member' },
];

export interface RolesDialogProps {
  user: AdminUser;
  onSaved: (user: AdminUser) => void;
  onCancel: () => void;
}

/** Replaces a user's roles. At least one is needed; the server also keeps admins from demoting themselves. */
export function RolesDialog({ user, onSaved, onCancel }: RolesDialogProps) {
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [clientError, setClientError] = useState<string>();
  const setUserRoles = useSetUserRoles();
  const errorId = useId();
  const { fields, other } = fieldErrorsOf(setUserRoles.error);
  const rolesError =
    clientError ?? (fields.roles ? `The roles ${fields.roles.replace(/\.$/, '')}.` : undefined);
  const showFormError = setUserRoles.isError && (fields.roles === undefined || other.length > 0);

  function toggle(role: Role, checked: boolean) {
    setClientError(undefined);
    setUserRoles.reset();
    setRoles((current) =>
      checked
        ? ROLES.map((entry) => entry.role).filter((name) => name === role || current.includes(name))
        : current.filter((name) => name !== role),
    );
  }

  function save() {
    if (roles.length === 0) {
      setClientError('Choose at least one role.');
      return;
    }
    setUserRoles.mutate({ id: user.id, roles }, { onSuccess: onSaved });
  }

  return (
    <ConfirmDialog
      title={`Roles of ${user.email}`}
      confirmLabel={setUserRoles.isPending ? 'Saving…' : 'Save roles'}
      busy={setUserRoles.isPending}
      error={
        showFormError ? (
          <Alert tone="error" title="Roles not changed">
            {describeError(setUserRoles.error)}
          </Alert>
        ) : undefined
      }
      onCancel={onCancel}
      onConfirm={save}
    >
      <p>
        A changed role applies at once: the user's current sign-ins pick it up on their next
        request.
      </p>
      <fieldset
        className={`fieldset${rolesError ? ' field--invalid' : ''}`}
        aria-describedby={rolesError ? errorId : undefined}
      >
        <legend className="field__label">Roles</legend>
        {ROLES.map(({ role, label }) => (
          <div key={role} className="checkbox">
            <input
              id={`${errorId}-${role}`}
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(event) => toggle(role, event.target.checked)}
              aria-invalid={rolesError ? true : undefined}
            />
            <label htmlFor={`${errorId}-${role}`}>{label}</label>
          </div>
        ))}
        {rolesError ? (
          <p className="field__error" id={errorId} role="alert">
            {rolesError}
          </p>
        ) : null}
      </fieldset>
    </ConfirmDialog>
  );
}
