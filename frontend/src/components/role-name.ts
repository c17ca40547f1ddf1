import { useT } from '../lib/i18n';
import type { Role } from '../lib/session-store';

const ROLE_KEYS: Record<Role, string> = {
  admin: 'common.role.admin',
  supervisor: 'common.role.supervisor',
  member: 'common.role.member',
};

/** A role as people read it ("Admin" / "관리자"); the API's names stay in the data. */
export function useRoleName() {
  const t = useT();
  return (role: Role) => t(ROLE_KEYS[role]);
}
