import type { ReactNode } from 'react';
import { PageHeading } from '../../../components/page-heading';

/** The narrow, centred frame of the sign-in family of pages. */
export function AuthCard({
  title,
  intro,
  children,
  footer,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <section className="page auth-page">
      <PageHeading>{title}</PageHeading>
      {intro ? <div className="auth-page__intro">{intro}</div> : null}
      <div className="card">{children}</div>
      {footer ? <div className="auth-page__footer">{footer}</div> : null}
    </section>
  );
}

/** Messages one page leaves for the next (router state), e.g. "Account confirmed". */
export interface AuthFlowState {
  message?: string;
  email?: string;
  /** A code was just emailed: the confirm page starts its resend cooldown. */
  codeSent?: boolean;
}
