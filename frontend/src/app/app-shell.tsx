import { NavLink, Outlet } from 'react-router';
import { LocaleSelect } from '../features/account/components/locale-select';
import { NotificationBell } from '../features/notifications/components/notification-bell';
import { useT } from '../lib/i18n';
import { useSession } from '../lib/session-store';
import { LocaleSync } from './locale-sync';
import { UserMenu } from './user-menu';

/** The frame every page renders in: skip link, header with navigation, main landmark. */
export function AppShell() {
  const t = useT();
  const session = useSession();
  return (
    <div className="shell">
      <LocaleSync />
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="shell__header">
        <div className="shell__bar">
          <NavLink to="/" className="shell__brand">
            <span className="shell__logo" aria-hidden="true">
              ⚓
            </span>
            {t('common.appName')}
          </NavLink>
          <nav className="shell__nav shell__nav--main" aria-label={t('app.nav.main')}>
            <NavLink to="/items" className="shell__link">
              {t('app.nav.items')}
            </NavLink>
            <NavLink to="/files" className="shell__link">
              {t('app.nav.files')}
            </NavLink>
            <NavLink to="/boards" className="shell__link">
              {t('app.nav.boards')}
            </NavLink>
            <NavLink to="/my-tasks" className="shell__link">
              {t('app.nav.myTasks')}
            </NavLink>
          </nav>
          <div className="shell__end">
            {session.status === 'signedIn' ? <NotificationBell /> : null}
            <UserMenu />
          </div>
          <div className="shell__locale">
            <LocaleSelect compact />
          </div>
        </div>
      </header>
      <main id="main" className="shell__main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="shell__footer">
        <a href="/api/docs">{t('app.apiReference')}</a>
      </footer>
    </div>
  );
}
