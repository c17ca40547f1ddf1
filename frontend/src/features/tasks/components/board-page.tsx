import { Outlet, useParams } from 'react-router';
import { PageHeading } from '../../../components/page-heading';

/** The board's page: its heading, with the task dialog (a child route) shown over it. */
export function BoardPage() {
  const { key = '' } = useParams();
  return (
    <>
      <PageHeading>{key}</PageHeading>
      <Outlet />
    </>
  );
}
