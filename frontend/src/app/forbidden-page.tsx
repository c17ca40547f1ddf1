import { Link } from 'react-router';
import { PageHeading } from '../components/page-heading';
import { useT } from '../lib/i18n';

export function ForbiddenPage() {
  const t = useT();
  return (
    <section className="page page--narrow">
      <PageHeading>{t('app.forbidden.title')}</PageHeading>
      <p>{t('app.forbidden.body')}</p>
      <Link to="/items" className="button">
        {t('app.goToItems')}
      </Link>
    </section>
  );
}
