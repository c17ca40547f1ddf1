import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { CATEGORIES, type Category, turnOffEmail } from './preferences.js';

/** Links stop working after this long; every email carries a fresh one. */
const LIFETIME_MS = 90 * 24 * 3_600_000;

/** The unsubscribe key, derived from the server secret for this purpose alone. */
export function unsubscribeKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'homeport-notifications', 'unsubscribe', 32));
}

export interface UnsubscribeClaim {
  userId: string;
  categories: Category[];
}

/** `<payload>.<HMAC>`: who, which categories, when issued, and a nonce so every link differs. */
export function signUnsubscribe(key: Buffer, claim: UnsubscribeClaim, now = new Date()): string {
  const payload = Buffer.from(
    [claim.userId, claim.categories.join(','), now.getTime(), randomBytes(8).toString('hex')].join(
      ' ',
    ),
  ).toString('base64url');
  const mac = createHmac('sha256', key).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

export class UnsubscribeLinkError extends AppError {
  constructor(code: 'invalid_unsubscribe_link' | 'unsubscribe_link_used', message: string) {
    super(code === 'unsubscribe_link_used' ? 410 : 400, code, message);
  }
}

const invalid = () =>
  new UnsubscribeLinkError(
    'invalid_unsubscribe_link',
    'This unsubscribe link is not valid; change your notification settings in your account.',
  );

/** The claim of a token this server signed and that has not expired; throws otherwise. */
export function verifyUnsubscribe(key: Buffer, token: string, now = new Date()): UnsubscribeClaim {
  const [payload, mac, ...rest] = token.split('.');
  if (!payload || !mac || rest.length > 0) throw invalid();
  const expected = createHmac('sha256', key).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  const [userId, categories, issued] = Buffer.from(payload, 'base64url')
    .toString('utf8')
    .split(' ');
  const list = (categories ?? '').split(',') as Category[];
  if (
    !userId ||
    list.length === 0 ||
    !list.every((category) => CATEGORIES.includes(category)) ||
    !(now.getTime() - Number(issued) < LIFETIME_MS)
  ) {
    throw invalid();
  }
  return { userId, categories: list };
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** What a link would do, without doing it (GET: mail scanners prefetch links). */
export async function describeUnsubscribe(db: Database, key: Buffer, token: string) {
  const claim = verifyUnsubscribe(key, token);
  const used = await db.notificationUnsubscribe.findUnique({
    where: { tokenHash: hashOf(token) },
  });
  return { categories: claim.categories, used: used !== null };
}

/**
 * Turns off email for the link's categories of the link's user, once: the link's hash is stored
 * in the same transaction, so a second use (or a concurrent one) is refused with 410.
 */
export async function applyUnsubscribe(db: Database, key: Buffer, token: string) {
  const claim = verifyUnsubscribe(key, token);
  return db.$transaction(async (tx) => {
    const inserted = await tx.notificationUnsubscribe.createMany({
      data: {
        tokenHash: hashOf(token),
        userId: claim.userId,
        category: claim.categories.join(','),
      },
      skipDuplicates: true,
    });
    if (inserted.count === 0) {
      throw new UnsubscribeLinkError(
        'unsubscribe_link_used',
        'This unsubscribe link was already used.',
      );
    }
    for (const category of claim.categories) await turnOffEmail(tx, claim.userId, category);
    return { categories: claim.categories };
  });
}
