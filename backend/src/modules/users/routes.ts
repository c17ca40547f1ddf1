import type {
  FastifyPluginAsyncTypebox,
  TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.js';
import { pageOf } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import { requestMeta } from '../auth/http.js';
import { type AdminService, grantAdmin } from './admin-service.js';
import type { ProfileService } from './profile-service.js';
import {
  AdminUserSchema,
  MeSchema,
  RoleSchema,
  SetRolesBodySchema,
  UpdateMeBodySchema,
  UserListQuerySchema,
  UserParamsSchema,
} from './schemas.js';

const bearer = [{ bearerAuth: [] }];
const AdminUserRef = Type.Ref('AdminUser');

export const usersRoutes: FastifyPluginAsyncTypebox<{
  admin: AdminService;
  profiles: ProfileService;
  /** ADMIN_EMAIL: promoted at start if that account is already confirmed. */
  adminEmail?: string | undefined;
  db: Database;
}> = async (app, { admin, profiles, adminEmail, db }) => {
  if (adminEmail) {
    app.addHook('onReady', async () => {
      // A database hiccup at start must not stop the server; confirmation also promotes.
      await grantAdmin(db, adminEmail, null).catch((error: unknown) =>
        app.log.warn({ err: error }, 'could not check ADMIN_EMAIL at start'),
      );
    });
  }
  app.addSchema(RoleSchema);
  app.addSchema(AdminUserSchema);
  app.addSchema(MeSchema);
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/users/me',
    {
      schema: {
        operationId: 'getMe',
        tags: ['users'],
        summary: 'My account and profile (Cognito GetUser)',
        security: bearer,
        response: { 200: Type.Ref('Me'), ...problemResponses(401, 404, 503) },
      },
    },
    async (request) => profiles.me(request.user.id),
  );

  app.patch(
    '/api/users/me',
    {
      schema: {
        operationId: 'updateMe',
        tags: ['users'],
        summary: 'Change my display name or email language (Cognito UpdateUserAttributes)',
        security: bearer,
        body: UpdateMeBodySchema,
        response: { 200: Type.Ref('Me'), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => profiles.update(request.user.id, request.body),
  );

  app.register(async (scope) => {
    const admins = scope.withTypeProvider<TypeBoxTypeProvider>();
    admins.addHook('onRequest', admins.requireRole('admin'));

    admins.get(
      '/api/admin/users',
      {
        schema: {
          operationId: 'adminListUsers',
          tags: ['admin'],
          summary: 'Users by email, searchable, a page at a time (Cognito ListUsers)',
          security: bearer,
          querystring: UserListQuerySchema,
          response: { 200: pageOf(AdminUserRef), ...problemResponses(400, 401, 403, 503) },
        },
      },
      async (request) => admin.list(request.query),
    );

    admins.get(
      '/api/admin/users/:id',
      {
        schema: {
          operationId: 'adminGetUser',
          tags: ['admin'],
          summary: 'One user (Cognito AdminGetUser)',
          security: bearer,
          params: UserParamsSchema,
          response: { 200: AdminUserRef, ...problemResponses(400, 401, 403, 404, 503) },
        },
      },
      async (request) => admin.get(request.params.id),
    );

    admins.put(
      '/api/admin/users/:id/roles',
      {
        schema: {
          operationId: 'adminSetUserRoles',
          tags: ['admin'],
          summary:
            'Replace a user’s roles (Cognito AdminAddUserToGroup / AdminRemoveUserFromGroup)',
          security: bearer,
          params: UserParamsSchema,
          body: SetRolesBodySchema,
          response: { 200: AdminUserRef, ...problemResponses(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request) =>
        admin.setRoles(
          request.user.id,
          request.params.id,
          request.body.roles as ('admin' | 'supervisor' | 'member')[],
          requestMeta(request),
        ),
    );

    for (const [action, disabled] of [
      ['disable', true],
      ['enable', false],
    ] as const) {
      admins.post(
        `/api/admin/users/:id/${action}`,
        {
          schema: {
            operationId: disabled ? 'adminDisableUser' : 'adminEnableUser',
            tags: ['admin'],
            summary: disabled
              ? 'Disable a user and sign them out everywhere (Cognito AdminDisableUser)'
              : 'Enable a disabled user (Cognito AdminEnableUser)',
            security: bearer,
            params: UserParamsSchema,
            response: { 200: AdminUserRef, ...problemResponses(400, 401, 403, 404, 409, 503) },
          },
        },
        async (request) =>
          admin.setDisabled(request.user.id, request.params.id, disabled, requestMeta(request)),
      );
    }
  });
};
