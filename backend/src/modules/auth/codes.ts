import { timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { CodePurpose, Prisma } from '../../generated/prisma/client.js';
import { InvalidCodeError } from './errors.js';
import { hashCode, newCode } from './secrets.js';

export const CODE_TTL_MS = 24 * 3600_000;
/** Wrong tries after which a code is dead. */
export const CODE_MAX_ATTEMPTS = 5;
const NO_USER = '00000000-0000-0000-0000-000000000000';

/** Issues a fresh code; earlier codes of the same purpose stop working. */
export async function issueCode(
  tx: Prisma.TransactionClient,
  userId: string,
  purpose: CodePurpose,
): Promise<string> {
  await tx.verificationCode.updateMany({
    where: { userId, purpose, consumedAt: null },
    data: { consumedAt: new Date() },
  });
  const code = newCode();
  const row = await tx.verificationCode.create({
    data: { userId, purpose, codeHash: '', expiresAt: new Date(Date.now() + CODE_TTL_MS) },
  });
  await tx.verificationCode.update({
    where: { id: row.id },
    data: { codeHash: hashCode(row.id, code) },
  });
  return code;
}

/**
 * Checks the live code. A wrong code counts a try (committed at once, outside any transaction of
 * the caller); the fifth wrong try kills the code. Every failure is the same InvalidCodeError.
 * Returns the code's id, to be claimed with `claimCode` in the caller's transaction.
 */
export async function checkCode(
  db: Database,
  userId: string | undefined,
  purpose: CodePurpose,
  code: string,
): Promise<string> {
  // An unknown email runs the same query (for an id no row has), so it answers in the same time.
  const live = await db.verificationCode.findFirst({
    where: {
      userId: userId ?? NO_USER,
      purpose,
      consumedAt: null,
      expiresAt: { gt: new Date() },
    },
    orderBy: { createdAt: 'desc' },
  });
  if (!userId) {
    // … and counts a try on no row, as a wrong code for a real account does on its code.
    await db.verificationCode.updateMany({
      where: { id: NO_USER },
      data: { attempts: { increment: 1 } },
    });
    throw new InvalidCodeError();
  }
  if (!live) throw new InvalidCodeError();
  const expected = Buffer.from(live.codeHash, 'hex');
  const given = Buffer.from(hashCode(live.id, code), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    const attempts = live.attempts + 1;
    await db.verificationCode.update({
      where: { id: live.id },
      data: { attempts, ...(attempts >= CODE_MAX_ATTEMPTS ? { consumedAt: new Date() } : {}) },
    });
    throw new InvalidCodeError();
  }
  return live.id;
}

/** Consumes a checked code; of two concurrent uses of one code, only one succeeds. */
export async function claimCode(tx: Prisma.TransactionClient, codeId: string): Promise<void> {
  const { count } = await tx.verificationCode.updateMany({
    where: { id: codeId, consumedAt: null },
    data: { consumedAt: new Date() },
  });
  if (count !== 1) throw new InvalidCodeError();
}
