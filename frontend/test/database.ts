import { inject } from 'vitest';
import { createDatabase } from '../../backend/src/db/client';
import type { Role } from '../src/lib/session-store';
import { createConfirmedUser, signInAs, type TestUser } from './accounts';

/**
 * The test backend's own database, for set-up the API cannot do without an admin already in
 * place, exactly as the backend's helper (backend/test/support/auth.ts) grants roles. Close it
 * in the test file's afterAll.
 */
export const testDatabase = createDatabase({ url: inject('databaseUrl'), poolSize: 2 });

/** Replaces the account's roles before it signs in, so its first access token carries them. */
export async function grantRoles(email: string, roles: Role[]) {
  return testDatabase.user.update({ where: { email }, data: { roles } });
}

/** A confirmed account with `roles`, signed in in this tab. */
export async function signedInWithRoles(roles: Role[]): Promise<TestUser & { id: string }> {
  const user = await createConfirmedUser();
  const { id } = await grantRoles(user.email, roles);
  await signInAs(user);
  return { ...user, id };
}
