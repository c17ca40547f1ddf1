import { Link } from 'react-router';
import { PageHeading } from '../components/page-heading';
import { useT } from '../lib/i18n';

/** Shown inside the shell when a page throws while rendering. */
export function RouteError() {
  const t = useT();
  return (
    <section className="page page--narrow">
      <PageHeading>{t('app.routeError.title')}</PageHeading>
      <p>{t('app.routeError.body')}</p>
      <Link to="/items" className="button">
        {t('app.goToItems')}
      </Link>
    </section>
  );
}
