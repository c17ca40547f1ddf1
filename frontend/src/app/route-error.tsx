import { Link } from 'react-router';
import { PageHeading } from '../components/page-heading';

/** Shown inside the shell when a page throws while rendering. */
export function RouteError() {
  return (
    <section className="page page--narrow">
      <PageHeading>Something went wrong</PageHeading>
      <p>This page failed to show. Reloading may help; if not, the problem is on our side.</p>
      <Link to="/items" className="button">
        Go to items
      </Link>
    </section>
  );
}
