import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../lib/problem.js';
import { requestMeta } from './http.js';
import {
  AcceptedSchema,
  ConfirmBodySchema,
  EmailBodySchema,
  OkSchema,
  SignUpBodySchema,
  SignUpResponseSchema,
} from './schemas.js';
import type { SignupService } from './signup-service.js';

export const signupRoutes: FastifyPluginAsyncTypebox<{ signup: SignupService }> = async (
  app,
  { signup },
) => {
  app.post(
    '/api/auth/sign-up',
    {
      schema: {
        operationId: 'signUp',
        tags: ['auth'],
        summary: 'Create an account; a 6-digit confirmation code is emailed (Cognito SignUp)',
        body: SignUpBodySchema,
        response: { 202: SignUpResponseSchema, ...problemResponses(400, 429, 503) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await signup.signUp(request.body, requestMeta(request))),
  );

  app.post(
    '/api/auth/confirm',
    {
      schema: {
        operationId: 'confirmSignUp',
        tags: ['auth'],
        summary: 'Confirm the account with the emailed code (Cognito ConfirmSignUp)',
        body: ConfirmBodySchema,
        response: { 200: OkSchema, ...problemResponses(400, 429, 503) },
      },
    },
    async (request) => {
      await signup.confirm(request.body, requestMeta(request));
      return { status: 'ok' as const };
    },
  );

  app.post(
    '/api/auth/resend-code',
    {
      schema: {
        operationId: 'resendConfirmationCode',
        tags: ['auth'],
        summary: 'Email a new confirmation code (Cognito ResendConfirmationCode)',
        body: EmailBodySchema,
        response: { 202: AcceptedSchema, ...problemResponses(400, 429, 503) },
      },
    },
    async (request, reply) => {
      await signup.resend(request.body, requestMeta(request));
      return reply.code(202).send({ status: 'accepted' as const });
    },
  );
};
