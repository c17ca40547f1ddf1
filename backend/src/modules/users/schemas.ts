import { Type } from 'typebox';
import { PageQuerySchema } from '../../lib/pagination.js';
import { PATTERNS } from '../../lib/patterns.js';

export const RoleSchema = Type.Union(
  [Type.Literal('admin'), Type.Literal('supervisor'), Type.Literal('member')],
  { $id: 'Role', title: 'Role' },
);

export const AdminUserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('disabled')]),
    roles: Type.Array(Type.Ref('Role')),
    createdAt: Type.String({ format: 'date-time' }),
    confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    mfaEnabled: Type.Boolean({
      description: 'Two-step sign-in is on; DELETE /api/admin/users/{id}/mfa resets it',
    }),
  },
  { $id: 'AdminUser', title: 'AdminUser' },
);

export const UserListQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'Part of the email' })),
});

export const UserParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const SetRolesBodySchema = Type.Object(
  { roles: Type.Array(Type.Ref('Role'), { minItems: 1, maxItems: 3, uniqueItems: true }) },
  { additionalProperties: false },
);

export const MeSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    roles: Type.Array(Type.Ref('Role')),
    locale: Type.Union([Type.Literal('en'), Type.Literal('ko')]),
    displayName: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Me', title: 'Me' },
);

export const UpdateMeBodySchema = Type.Object(
  {
    displayName: Type.Optional(
      Type.Union([
        Type.String({ minLength: 1, maxLength: 100, pattern: PATTERNS.notBlank.source }),
        Type.Null(),
      ]),
    ),
    locale: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('ko')])),
  },
  { additionalProperties: false, minProperties: 1 },
);
