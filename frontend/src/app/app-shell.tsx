import { NavLink, Outlet } from 'react-router';
import { UserMenu } from './user-menu';

/** The frame every page renders in: skip link, header with navigation, main landmark. */
export function AppShell() {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell__header">
        <div className="shell__bar">
          <NavLink to="/" className="shell__brand">
            <span className="shell__logo" aria-hidden="true">
              ⚓
            </span>
            Homeport
          </NavLink>
          <nav className="shell__nav" aria-label="Main">
            <NavLink to="/items" className="shell__link">
              Items
            </NavLink>
            <NavLink to="/files" className="shell__link">
              Files
            </NavLink>
          </nav>
          <UserMenu />
        </div>
      </header>
      <main id="main" className="shell__main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="shell__footer">
        <a href="/api/docs">API reference</a>
      </footer>
    </div>
  );
}
