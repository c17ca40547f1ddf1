import { Link } from 'react-router';
import { PageHeading } from '../components/page-heading';

export function ForbiddenPage() {
  return (
    <section className="page page--narrow">
      <PageHeading>Not allowed</PageHeading>
      <p>Your account does not have the role this page needs. An administrator can grant it.</p>
      <Link to="/items" className="button">
        Go to items
      </Link>
    </section>
  );
}
