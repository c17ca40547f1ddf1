import { Link } from 'react-router';
import { PageHeading } from '../components/page-heading';

export function NotFoundPage() {
  return (
    <section className="page page--narrow">
      <PageHeading>Page not found</PageHeading>
      <p>There is nothing at this address.</p>
      <Link to="/items" className="button">
        Go to items
      </Link>
    </section>
  );
}
