import type { Database } from '../../db/client.js';
import type { Role } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../lib/errors.js';

export interface MeView {
  id: string;
  email: string;
  roles: Role[];
  locale: 'en' | 'ko';
  displayName: string | null;
  createdAt: string;
}

export function createProfileService({ db }: { db: Database }) {
  async function me(userId: string): Promise<MeView> {
    const user = await db.user.findUnique({ where: { id: userId }, include: { profile: true } });
    if (!user) throw new NotFoundError('User');
    return {
      id: user.id,
      email: user.email,
      roles: user.roles,
      locale: user.locale === 'ko' ? 'ko' : 'en',
      displayName: user.profile?.displayName ?? null,
      createdAt: user.createdAt.toISOString(),
    };
  }

  return {
    me,

    /** Only the fields named here can change; roles and email are not among them. */
    async update(
      userId: string,
      input: { displayName?: string | null | undefined; locale?: 'en' | 'ko' | undefined },
    ): Promise<MeView> {
      await db.$transaction(async (tx) => {
        if (input.locale)
          await tx.user.update({ where: { id: userId }, data: { locale: input.locale } });
        if (input.displayName !== undefined) {
          await tx.profile.upsert({
            where: { userId },
            create: { userId, displayName: input.displayName },
            update: { displayName: input.displayName },
          });
        }
      });
      return me(userId);
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
