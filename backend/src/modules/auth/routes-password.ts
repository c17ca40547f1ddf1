import type {
  FastifyPluginAsyncTypebox,
  TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import { clearRefreshCookie, requestMeta } from './http.js';
import type { PasswordService } from './password-service.js';
import {
  AcceptedSchema,
  ChangePasswordBodySchema,
  DeleteAccountBodySchema,
  EmailBodySchema,
  OkSchema,
  ResetBodySchema,
} from './schemas.js';

const bearer = [{ bearerAuth: [] }];

export const passwordRoutes: FastifyPluginAsyncTypebox<{ passwords: PasswordService }> = async (
  app,
  { passwords },
) => {
  app.post(
    '/api/auth/forgot-password',
    {
      schema: {
        operationId: 'forgotPassword',
        tags: ['auth'],
        summary: 'Email a password reset code (Cognito ForgotPassword)',
        body: EmailBodySchema,
        response: { 202: AcceptedSchema, ...problemResponses(400, 429, 503) },
      },
    },
    async (request, reply) => {
      await passwords.forgot(request.body, requestMeta(request));
      return reply.code(202).send({ status: 'accepted' as const });
    },
  );

  app.post(
    '/api/auth/reset-password',
    {
      schema: {
        operationId: 'resetPassword',
        tags: ['auth'],
        summary:
          'Set a new password with the emailed code; signs out everywhere (Cognito ConfirmForgotPassword)',
        body: ResetBodySchema,
        response: { 200: OkSchema, ...problemResponses(400, 429, 503) },
      },
    },
    async (request) => {
      await passwords.reset(request.body, requestMeta(request));
      return { status: 'ok' as const };
    },
  );

  app.register(async (scope) => {
    const signedIn = scope.withTypeProvider<TypeBoxTypeProvider>();
    signedIn.addHook('onRequest', signedIn.authenticate);

    signedIn.post(
      '/api/auth/change-password',
      {
        schema: {
          operationId: 'changePassword',
          tags: ['auth'],
          summary: 'Change my password; other sessions are signed out (Cognito ChangePassword)',
          security: bearer,
          body: ChangePasswordBodySchema,
          response: { 200: OkSchema, ...problemResponses(400, 401, 429, 503) },
        },
      },
      async (request) => {
        await passwords.change(
          request.user.id,
          request.user.sessionId,
          request.body,
          requestMeta(request),
        );
        return { status: 'ok' as const };
      },
    );

    signedIn.post(
      '/api/auth/delete-account',
      {
        schema: {
          operationId: 'deleteAccount',
          tags: ['auth'],
          summary: 'Delete my account and all its data (Cognito DeleteUser)',
          security: bearer,
          body: DeleteAccountBodySchema,
          response: { 204: Type.Null(), ...problemResponses(400, 401, 429, 503) },
        },
      },
      async (request, reply) => {
        await passwords.deleteAccount(request.user.id, request.body.password, requestMeta(request));
        clearRefreshCookie(reply);
        return reply.code(204).send(null);
      },
    );
  });
};
