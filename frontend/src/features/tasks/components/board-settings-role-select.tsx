import { type SelectHTMLAttributes, useId } from 'react';
import { useT } from '../../../lib/i18n';
import type { BoardRole } from '../api/list-members';

export const BOARD_ROLES: readonly BoardRole[] = ['supervisor', 'member', 'viewer'];

const BOARD_ROLE_KEYS: Record<BoardRole, string> = {
  supervisor: 'tasks.role.supervisor',
  member: 'tasks.role.member',
  viewer: 'tasks.role.viewer',
};

/** A board role as people read it ("Supervisor" / "감독자"). */
export function useBoardRoleName() {
  const t = useT();
  return (role: BoardRole) => t(BOARD_ROLE_KEYS[role]);
}

export function isBoardRole(value: string): value is BoardRole {
  return (BOARD_ROLES as readonly string[]).includes(value);
}

/** A labelled select of the three board roles. */
export function RoleSelect({
  label,
  hideLabel = false,
  ...select
}: { label: string; hideLabel?: boolean } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'>) {
  const id = useId();
  const roleName = useBoardRoleName();
  return (
    <div className="field field--narrow">
      <label className={hideLabel ? 'visually-hidden' : 'field__label'} htmlFor={id}>
        {label}
      </label>
      <select {...select} id={id} className="select">
        {BOARD_ROLES.map((role) => (
          <option key={role} value={role}>
            {roleName(role)}
          </option>
        ))}
      </select>
    </div>
  );
}
