import { NavLink, Outlet } from 'react-router';
import { useT } from '../../../lib/i18n';

/** The admin section: its own navigation above whichever admin page is open. */
export function AdminLayout() {
  const t = useT();
  return (
    <div className="admin">
      <nav className="admin__nav" aria-label={t('admin.nav.label')}>
        <NavLink to="/admin/users" className="admin__link">
          {t('admin.users.title')}
        </NavLink>
        <NavLink to="/admin/audit" className="admin__link">
          {t('admin.audit.title')}
        </NavLink>
        <NavLink to="/admin/mail-suppressions" className="admin__link">
          {t('admin.suppressions.title')}
        </NavLink>
        <NavLink to="/admin/service-clients" className="admin__link">
          {t('admin.clients.title')}
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
