import { inject } from 'vitest';
import { createMailbox } from '../../backend/test/support/mailbox';
import { confirmSignUp } from '../src/features/auth/api/confirm-sign-up';
import { isMfaChallenge, type SignInInput, signIn } from '../src/features/auth/api/sign-in';
import { signUp } from '../src/features/auth/api/sign-up';
import type { Locale } from '../src/lib/i18n';
import { sessionStore } from '../src/lib/session-store';

export const mailbox = createMailbox(inject('mailApiUrl'));

export function uniqueEmail(prefix = 'fe'): string {
  return `${prefix}-${crypto.getRandomValues(new Uint32Array(2)).join('')}@example.test`;
}

export function strongPassword(): string {
  return `harbour-${crypto.getRandomValues(new Uint32Array(2)).join('-')}-lights`;
}

/** The 6-digit code in the `count`-th email to `email` (oldest first), as delivered over SMTP. */
export async function emailedCode(email: string, count = 1): Promise<string> {
  const message = await mailbox.waitFor(email, { count });
  const code = /\b(\d{6})\b/.exec(message.Text)?.[1];
  if (!code) throw new Error(`no 6-digit code in the email to ${email}: ${message.Subject}`);
  return code;
}

export interface TestUser {
  email: string;
  password: string;
}

/** An account made the way a person makes one: sign-up, the emailed code, confirm. */
export async function createConfirmedUser(
  email = uniqueEmail(),
  locale: Locale = 'en',
): Promise<TestUser> {
  const password = strongPassword();
  await signUp({ email, password, locale });
  await confirmSignUp({ email, code: await emailedCode(email) });
  return { email, password };
}

/** The password sign-in of an account without two-step sign-in: its tokens. */
async function passwordSignIn(input: SignInInput) {
  const result = await signIn(input);
  if (isMfaChallenge(result)) throw new Error(`${input.email} has two-step sign-in on`);
  return result;
}

/** Signs in through the API as the sign-in page does: cookie in the jar, token in memory. */
export async function signInAs(user: TestUser, keepSignedIn = false) {
  const tokens = await passwordSignIn({ ...user, keepSignedIn });
  sessionStore.signedIn(tokens);
  return tokens;
}

/** A confirmed, signed-in account: what most page tests start from. */
export async function signedInUser(locale: Locale = 'en'): Promise<TestUser> {
  const user = await createConfirmedUser(uniqueEmail(), locale);
  await signInAs(user);
  return user;
}

/** A sign-in whose tokens this tab does not keep: another device, or a check that it works. */
export function signInElsewhere(user: TestUser) {
  return passwordSignIn({ ...user, keepSignedIn: false });
}
