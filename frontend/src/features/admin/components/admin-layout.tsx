import { NavLink, Outlet } from 'react-router';

/** The admin section: its own navigation above whichever admin page is open. */
export function AdminLayout() {
  return (
    <div className="admin">
      <nav className="admin__nav" aria-label="Administration">
        <NavLink to="/admin/users" className="admin__link">
          Users
        </NavLink>
        <NavLink to="/admin/audit" className="admin__link">
          Audit log
        </NavLink>
        <NavLink to="/admin/mail-suppressions" className="admin__link">
          Mail suppressions
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
