import type {
  FastifyPluginAsyncTypebox,
  TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import { requestMeta } from './http.js';
import {
  ActivateBodySchema,
  DisableBodySchema,
  EnrolBodySchema,
  EnrolResponseSchema,
  MfaStatusSchema,
  PasswordBodySchema,
  RecoveryCodesSchema,
  UserIdParamsSchema,
} from './mfa-schemas.js';
import type { MfaService } from './mfa-service.js';

const bearer = [{ bearerAuth: [] }];

/** The signed-in user's own factor, and an admin's reset of another user's. */
export const mfaRoutes: FastifyPluginAsyncTypebox<{ mfa: MfaService }> = async (app, { mfa }) => {
  app.addSchema(MfaStatusSchema);

  app.register(async (scope) => {
    const signedIn = scope.withTypeProvider<TypeBoxTypeProvider>();
    signedIn.addHook('onRequest', signedIn.authenticate);

    signedIn.get(
      '/api/auth/mfa',
      {
        schema: {
          operationId: 'getMfaStatus',
          tags: ['auth'],
          summary: 'Whether two-step sign-in is on, and recovery codes left (Cognito GetUser MFA)',
          security: bearer,
          response: { 200: Type.Ref('MfaStatus'), ...problemResponses(401, 503) },
        },
      },
      async (request) => ({
        ...(await mfa.status(request.user.id)),
        available: mfa.configured,
      }),
    );

    signedIn.post(
      '/api/auth/mfa/totp',
      {
        schema: {
          operationId: 'enrolTotp',
          tags: ['auth'],
          summary:
            'Start setting up an authenticator app: a new secret (Cognito AssociateSoftwareToken)',
          security: bearer,
          body: EnrolBodySchema,
          response: { 200: EnrolResponseSchema, ...problemResponses(400, 401, 403, 409, 429, 503) },
        },
      },
      async (request) =>
        mfa.enrol(
          { id: request.user.id, signedInAt: request.user.signedInAt ?? new Date(0) },
          request.body.password,
          requestMeta(request),
        ),
    );

    signedIn.post(
      '/api/auth/mfa/totp/activate',
      {
        schema: {
          operationId: 'activateTotp',
          tags: ['auth'],
          summary:
            'Turn two-step sign-in on with a first code; returns the recovery codes, and this session becomes aal2 from its next refresh (Cognito VerifySoftwareToken + SetUserMFAPreference)',
          security: bearer,
          body: ActivateBodySchema,
          response: { 200: RecoveryCodesSchema, ...problemResponses(400, 401, 409, 503) },
        },
      },
      async (request) => ({
        recoveryCodes: await mfa.activate(
          { id: request.user.id, sessionId: request.user.sessionId },
          request.body.code,
          requestMeta(request),
        ),
      }),
    );

    signedIn.post(
      '/api/auth/mfa/disable',
      {
        schema: {
          operationId: 'disableMfa',
          tags: ['auth'],
          summary:
            'Turn two-step sign-in off with the password and a code (Cognito SetUserMFAPreference)',
          security: bearer,
          body: DisableBodySchema,
          response: { 204: Type.Null(), ...problemResponses(400, 401, 409, 429, 503) },
        },
      },
      async (request, reply) => {
        await mfa.disable(request.user.id, request.body, requestMeta(request));
        return reply.code(204).send(null);
      },
    );

    signedIn.post(
      '/api/auth/mfa/recovery-codes',
      {
        schema: {
          operationId: 'regenerateRecoveryCodes',
          tags: ['auth'],
          summary:
            'A new batch of recovery codes; the earlier ones stop working. Needs the password and an aal2 session',
          security: bearer,
          body: PasswordBodySchema,
          response: {
            200: RecoveryCodesSchema,
            ...problemResponses(400, 401, 403, 409, 429, 503),
          },
        },
      },
      async (request) => ({
        recoveryCodes: await mfa.regenerateRecoveryCodes(
          { id: request.user.id, sessionId: request.user.sessionId },
          request.body.password,
          requestMeta(request),
        ),
      }),
    );
  });

  app.register(async (scope) => {
    const admins = scope.withTypeProvider<TypeBoxTypeProvider>();
    admins.addHook('onRequest', admins.authenticate);
    admins.addHook('onRequest', admins.requireRole('admin'));

    admins.delete(
      '/api/admin/users/:id/mfa',
      {
        schema: {
          operationId: 'adminResetMfa',
          tags: ['admin'],
          summary:
            "Remove a user's authenticator and recovery codes (Cognito AdminSetUserMFAPreference)",
          security: bearer,
          params: UserIdParamsSchema,
          response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        await mfa.adminReset(request.user.id, request.params.id, requestMeta(request));
        return reply.code(204).send(null);
      },
    );
  });
};
