import type { Prisma } from '../../generated/prisma/client.js';
import { ConflictError } from '../../lib/errors.js';

/**
 * Before removing a way to sign in (a linked provider, a passkey): locks the user row, so two
 * parallel removals cannot both pass, and refuses when nothing would be left (no password, no
 * other provider, no other passkey). Returns the user.
 */
export async function assertAnotherSignInMethod(
  tx: Prisma.TransactionClient,
  userId: string,
  removing: { identityId: string } | { passkeyId: string },
) {
  await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.passwordHash !== null) return user;
  const exceptIdentity = 'identityId' in removing ? { id: { not: removing.identityId } } : {};
  const exceptPasskey = 'passkeyId' in removing ? { id: { not: removing.passkeyId } } : {};
  const [identities, passkeys] = await Promise.all([
    tx.identity.count({ where: { userId, ...exceptIdentity } }),
    tx.passkey.count({ where: { userId, ...exceptPasskey } }),
  ]);
  if (identities + passkeys === 0) {
    throw new ConflictError(
      'last_sign_in_method',
      'This is your only way to sign in: set a password, link a provider or add a passkey first.',
    );
  }
  return user;
}
