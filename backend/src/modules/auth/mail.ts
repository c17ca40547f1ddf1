import type { Prisma } from '../../generated/prisma/client.js';

export type MailLocale = 'en' | 'ko';

/** The emails auth sends, with the data each template needs. */
export type AuthEmail =
  | { template: 'signup-code'; data: { code: string } }
  | { template: 'password-reset-code'; data: { code: string } }
  | { template: 'password-changed'; data: Record<string, never> }
  | { template: 'password-reset'; data: Record<string, never> }
  | { template: 'account-deleted'; data: Record<string, never> }
  | { template: 'account-unlock'; data: { token: string; minutes: number } }
  | { template: 'mfa-enabled'; data: Record<string, never> }
  | { template: 'mfa-disabled'; data: { byAdmin: boolean } }
  | { template: 'mfa-recovery-codes'; data: Record<string, never> }
  | { template: 'mfa-recovery-code-used'; data: { codesLeft: number } }
  | { template: 'identity-link-code'; data: { code: string; provider: string } }
  | { template: 'identity-linked'; data: { provider: string } }
  | { template: 'identity-unlinked'; data: { provider: string } }
  | { template: 'passkey-added'; data: { name: string } }
  | { template: 'passkey-removed'; data: { name: string } };

/** The part of the mail module's transactional outbox auth uses: rows in the caller's transaction. */
export interface AuthOutbox {
  enqueue(
    tx: Prisma.TransactionClient,
    input: AuthEmail & { to: string; locale: MailLocale; userId?: string },
  ): Promise<unknown>;
}

export function mailLocale(locale: string): MailLocale {
  return locale === 'ko' ? 'ko' : 'en';
}
