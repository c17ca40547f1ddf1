import { useId, useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { useRoleName } from '../../../components/role-name';
import { useT } from '../../../lib/i18n';
import { describeError, fieldErrorsOf } from '../../../lib/problem';
import { sentence } from '../../../lib/sentence';
import type { Role } from '../../../lib/session-store';
import type { AdminUser } from '../api/list-users';
import { useSetUserRoles } from '../api/set-user-roles';

const ROLES: readonly Role[] = ['admin', 'supervisor', 'member'];

export interface RolesDialogProps {
  user: AdminUser;
  onSaved: (user: AdminUser) => void;
  onCancel: () => void;
}

/** Replaces a user's roles. At least one is needed; the server also keeps admins from demoting themselves. */
export function RolesDialog({ user, onSaved, onCancel }: RolesDialogProps) {
  const t = useT();
  const roleName = useRoleName();
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [clientError, setClientError] = useState<string>();
  const setUserRoles = useSetUserRoles();
  const errorId = useId();
  const { fields, other } = fieldErrorsOf(setUserRoles.error);
  const rolesError = clientError ?? (fields.roles ? sentence(fields.roles) : undefined);
  const showFormError = setUserRoles.isError && (fields.roles === undefined || other.length > 0);

  function toggle(role: Role, checked: boolean) {
    setClientError(undefined);
    setUserRoles.reset();
    setRoles((current) =>
      checked
        ? ROLES.filter((name) => name === role || current.includes(name))
        : current.filter((name) => name !== role),
    );
  }

  function save() {
    if (roles.length === 0) {
      setClientError(t('admin.roles.required'));
      return;
    }
    setUserRoles.mutate({ id: user.id, roles }, { onSuccess: onSaved });
  }

  return (
    <ConfirmDialog
      title={t('admin.roles.title', { email: user.email })}
      confirmLabel={setUserRoles.isPending ? t('admin.saving') : t('admin.roles.save')}
      busy={setUserRoles.isPending}
      error={
        showFormError ? (
          <Alert tone="error" title={t('admin.roles.failed')}>
            {describeError(setUserRoles.error)}
          </Alert>
        ) : undefined
      }
      onCancel={onCancel}
      onConfirm={save}
    >
      <p>{t('admin.roles.intro')}</p>
      <fieldset
        className={`fieldset${rolesError ? ' field--invalid' : ''}`}
        aria-describedby={rolesError ? errorId : undefined}
      >
        <legend className="field__label">{t('admin.roles.legend')}</legend>
        {ROLES.map((role) => (
          <div key={role} className="checkbox">
            <input
              id={`${errorId}-${role}`}
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(event) => toggle(role, event.target.checked)}
              aria-invalid={rolesError ? true : undefined}
            />
            <label htmlFor={`${errorId}-${role}`}>{roleName(role)}</label>
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
