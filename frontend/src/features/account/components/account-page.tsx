import type { ReactNode } from 'react';
import { PageHeading } from '../../../components/page-heading';
import { useRoleName } from '../../../components/role-name';
import { useT } from '../../../lib/i18n';
import { useSession } from '../../../lib/session-store';
import { ChangePasswordForm } from './change-password-form';
import { DeleteAccountSection } from './delete-account-section';
import { LocaleSelect } from './locale-select';
import { MfaSection } from './mfa-section';
import { SessionsList } from './sessions-list';

export interface AccountPageProps {
  /** The avatar picker; it belongs to the files feature, so the app passes it in. */
  avatar?: ReactNode;
  /** The notification settings; they belong to the notifications feature, passed in likewise. */
  notifications?: ReactNode;
  /** The providers linked for sign-in (a card of its own); they belong to the auth feature. */
  linkedAccounts?: ReactNode;
  /** The passkeys that sign in (a card of its own); they belong to the auth feature too. */
  passkeys?: ReactNode;
}

export function AccountPage({ avatar, notifications, linkedAccounts, passkeys }: AccountPageProps) {
  const t = useT();
  const roleName = useRoleName();
  const session = useSession();
  return (
    <section className="page page--narrow">
      <PageHeading>{t('account.title')}</PageHeading>
      {session.status === 'signedIn' ? (
        <p className="muted">
          {t('account.signedInAs')} <strong className="break-anywhere">{session.user.email}</strong>{' '}
          ({session.user.roles.map(roleName).join(', ')})
        </p>
      ) : null}
      <section className="card stack" aria-labelledby="language-heading">
        <h2 id="language-heading">{t('account.language.title')}</h2>
        <p className="muted">{t('account.language.hint')}</p>
        <LocaleSelect />
      </section>
      {avatar ? (
        <section className="card stack" aria-labelledby="avatar-heading">
          <h2 id="avatar-heading">{t('account.avatar')}</h2>
          {avatar}
        </section>
      ) : null}
      {notifications ? (
        <section className="card stack" aria-labelledby="notifications-heading">
          <h2 id="notifications-heading">{t('account.notifications')}</h2>
          {notifications}
        </section>
      ) : null}
      <section className="card stack" aria-labelledby="password-heading">
        <h2 id="password-heading">{t('account.password.title')}</h2>
        <ChangePasswordForm />
      </section>
      <section className="card stack" id="security" aria-labelledby="mfa-heading">
        <h2 id="mfa-heading">{t('account.mfa.title')}</h2>
        <MfaSection />
      </section>
      {passkeys}
      {linkedAccounts}
      <section className="card stack" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t('account.sessions.title')}</h2>
        <SessionsList />
      </section>
      <section className="card stack card--danger" aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t('account.delete.title')}</h2>
        <DeleteAccountSection />
      </section>
    </section>
  );
}
