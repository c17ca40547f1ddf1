import type { ReactNode } from 'react';
import { PageHeading } from '../../../components/page-heading';
import { useSession } from '../../../lib/session-store';
import { ChangePasswordForm } from './change-password-form';
import { DeleteAccountSection } from './delete-account-section';
import { SessionsList } from './sessions-list';

export interface AccountPageProps {
  /** The avatar picker; it belongs to the files feature, so the app passes it in. */
  avatar?: ReactNode;
}

export function AccountPage({ avatar }: AccountPageProps) {
  const session = useSession();
  return (
    <section className="page page--narrow">
      <PageHeading>Account</PageHeading>
      {session.status === 'signedIn' ? (
        <p className="muted">
          Signed in as <strong>{session.user.email}</strong> ({session.user.roles.join(', ')})
        </p>
      ) : null}
      {avatar ? (
        <section className="card stack" aria-labelledby="avatar-heading">
          <h2 id="avatar-heading">Avatar</h2>
          {avatar}
        </section>
      ) : null}
      <section className="card stack" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <ChangePasswordForm />
      </section>
      <section className="card stack" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Devices</h2>
        <SessionsList />
      </section>
      <section className="card stack card--danger" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete account</h2>
        <DeleteAccountSection />
      </section>
    </section>
  );
}
