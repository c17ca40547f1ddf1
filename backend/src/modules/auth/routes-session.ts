import type {
  FastifyPluginAsyncTypebox,
  TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import { deviceCookieOf, setDeviceCookie } from './devices.js';
import { InvalidRefreshTokenError } from './errors.js';
import {
  answerSignIn,
  assertSameOrigin,
  BrowserBodyTokenError,
  clearRefreshCookie,
  fromBrowser,
  REFRESH_COOKIE,
  requestMeta,
  setRefreshCookie,
  tokenBody,
} from './http.js';
import { MfaSignInBodySchema } from './mfa-schemas.js';
import {
  JwksSchema,
  OkSchema,
  RefreshBodySchema,
  SessionParamsSchema,
  SessionSchema,
  SignInBodySchema,
  UnlockBodySchema,
} from './schemas.js';
import type { SessionsService } from './sessions-service.js';

const TokensRef = Type.Ref('AuthTokens');
const bearer = [{ bearerAuth: [] }];

export const sessionRoutes: FastifyPluginAsyncTypebox<{
  sessions: SessionsService;
  publicUrl: string;
}> = async (app, { sessions, publicUrl }) => {
  app.addSchema(SessionSchema);

  app.post(
    '/api/auth/sign-in',
    {
      schema: {
        operationId: 'signIn',
        tags: ['auth'],
        summary:
          'Sign in with email and password (Cognito InitiateAuth USER_PASSWORD_AUTH); with MFA on, answers with a challenge and no tokens',
        body: SignInBodySchema,
        response: {
          200: Type.Union([TokensRef, Type.Ref('MfaChallenge')]),
          ...problemResponses(400, 401, 403, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const inBody = request.body.refreshTokenIn === 'body';
      if (inBody && fromBrowser(request)) throw new BrowserBodyTokenError();
      const result = await sessions.signIn(
        request.body,
        requestMeta(request),
        deviceCookieOf(request),
      );
      return answerSignIn(reply, result, request.body.refreshTokenIn);
    },
  );

  app.post(
    '/api/auth/sign-in/mfa',
    {
      schema: {
        operationId: 'signInMfa',
        tags: ['auth'],
        summary:
          "Sign-in's second step: a TOTP or recovery code (Cognito RespondToAuthChallenge SOFTWARE_TOKEN_MFA)",
        body: MfaSignInBodySchema,
        response: { 200: TokensRef, ...problemResponses(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      const inBody = request.body.refreshTokenIn === 'body';
      if (inBody && fromBrowser(request)) throw new BrowserBodyTokenError();
      const { challenge, method, code } = request.body;
      const tokens = await sessions.completeMfa({ challenge, method, code }, requestMeta(request));
      return answerSignIn(reply, tokens, request.body.refreshTokenIn);
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      schema: {
        operationId: 'refreshTokens',
        tags: ['auth'],
        summary:
          'Rotate the refresh token and get a new access token (Cognito InitiateAuth REFRESH_TOKEN_AUTH)',
        body: RefreshBodySchema,
        response: { 200: TokensRef, ...problemResponses(400, 401, 403, 429, 503) },
      },
      // Browsers may post no body at all: the cookie is the credential.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const fromBody = request.body.refreshToken;
      if (fromBody) {
        return tokenBody(await sessions.refresh(fromBody, requestMeta(request)), true);
      }
      const cookie = request.cookies[REFRESH_COOKIE];
      if (!cookie) throw new InvalidRefreshTokenError('missing_refresh_token', 'Sign in first.');
      assertSameOrigin(request, publicUrl);
      try {
        const tokens = await sessions.refresh(cookie, requestMeta(request));
        setRefreshCookie(reply, tokens);
        return tokenBody(tokens, false);
      } catch (error) {
        // A dead cookie is useless to the browser; drop it so the app shows the sign-in page.
        if (error instanceof InvalidRefreshTokenError) clearRefreshCookie(reply);
        throw error;
      }
    },
  );

  app.post(
    '/api/auth/unlock',
    {
      schema: {
        operationId: 'unlockAccount',
        tags: ['auth'],
        summary:
          'Lift the account-wide sign-in lock with the emailed unlock link; this browser becomes a known device',
        body: UnlockBodySchema,
        response: { 200: OkSchema, ...problemResponses(400, 429, 503) },
      },
    },
    async (request, reply) => {
      const { deviceCookie } = await sessions.unlock(request.body.token, requestMeta(request));
      setDeviceCookie(reply, deviceCookie);
      return { status: 'ok' as const };
    },
  );

  app.get(
    '/api/auth/jwks.json',
    {
      schema: {
        operationId: 'getJwks',
        tags: ['auth'],
        summary: 'Public keys that verify access tokens (Cognito /.well-known/jwks.json)',
        response: { 200: JwksSchema },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return app.accessTokens.jwks;
    },
  );

  app.register(async (scope) => {
    const signedIn = scope.withTypeProvider<TypeBoxTypeProvider>();
    signedIn.addHook('onRequest', signedIn.authenticate);

    signedIn.post(
      '/api/auth/sign-out',
      {
        schema: {
          operationId: 'signOut',
          tags: ['auth'],
          summary: 'Sign out this session (Cognito RevokeToken)',
          security: bearer,
          response: { 200: OkSchema, ...problemResponses(401, 503) },
        },
      },
      async (request, reply) => {
        await sessions.signOut(request.user.id, request.user.sessionId, requestMeta(request));
        clearRefreshCookie(reply);
        return { status: 'ok' as const };
      },
    );

    signedIn.post(
      '/api/auth/sign-out-everywhere',
      {
        schema: {
          operationId: 'signOutEverywhere',
          tags: ['auth'],
          summary: 'Sign out every session of this account (Cognito GlobalSignOut)',
          security: bearer,
          response: {
            200: Type.Object({ status: Type.Literal('ok'), sessionsRevoked: Type.Integer() }),
            ...problemResponses(401, 503),
          },
        },
      },
      async (request, reply) => {
        const sessionsRevoked = await sessions.signOutEverywhere(
          request.user.id,
          requestMeta(request),
        );
        clearRefreshCookie(reply);
        return { status: 'ok' as const, sessionsRevoked };
      },
    );

    signedIn.get(
      '/api/auth/sessions',
      {
        schema: {
          operationId: 'listSessions',
          tags: ['auth'],
          summary: 'My signed-in devices (Cognito ListDevices)',
          security: bearer,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('Session')) }),
            ...problemResponses(401, 503),
          },
        },
      },
      async (request) => ({
        items: await sessions.list(request.user.id, request.user.sessionId),
      }),
    );

    signedIn.delete(
      '/api/auth/sessions/:id',
      {
        schema: {
          operationId: 'revokeSession',
          tags: ['auth'],
          summary: 'Sign out one of my sessions (Cognito ForgetDevice)',
          security: bearer,
          params: SessionParamsSchema,
          response: { 204: Type.Null(), ...problemResponses(400, 401, 404, 503) },
        },
      },
      async (request, reply) => {
        await sessions.revoke(request.user.id, request.params.id, requestMeta(request));
        return reply.code(204).send(null);
      },
    );
  });
};
