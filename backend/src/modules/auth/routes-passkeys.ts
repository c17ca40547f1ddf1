import type {
  FastifyPluginAsyncTypebox,
  TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import { deviceCookieOf } from './devices.js';
import { answerSignIn, BrowserBodyTokenError, fromBrowser, requestMeta } from './http.js';
import {
  AuthenticationCredentialSchema,
  AuthenticationOptionsSchema,
  MfaChallengeBodySchema,
  PasskeyParamsSchema,
  PasskeySchema,
  PasskeySecondStepBodySchema,
  PasskeySignInBodySchema,
  RegisterBodySchema,
  RegistrationCredentialSchema,
  RegistrationOptionsBodySchema,
  RegistrationOptionsSchema,
  RenameBodySchema,
} from './passkeys-schemas.js';
import type { PasskeysService } from './passkeys-service.js';
import type { SessionsService } from './sessions-service.js';

const bearer = [{ bearerAuth: [] }];

// The JSON schemas check shape and sizes; the WebAuthn library reads the values.
const asRegistration = (value: unknown) => value as RegistrationResponseJSON;
const asAuthentication = (value: unknown) => value as AuthenticationResponseJSON;

/** The account's passkeys, and sign-in with one: without a password, or as the second step. */
export const passkeyRoutes: FastifyPluginAsyncTypebox<{
  passkeys: PasskeysService;
  sessions: SessionsService;
}> = async (app, { passkeys, sessions }) => {
  app.addSchema(RegistrationCredentialSchema);
  app.addSchema(AuthenticationCredentialSchema);
  app.addSchema(RegistrationOptionsSchema);
  app.addSchema(AuthenticationOptionsSchema);
  app.addSchema(PasskeySchema);
  const TokensOrChallenge = Type.Union([Type.Ref('AuthTokens'), Type.Ref('MfaChallenge')]);

  app.post(
    '/api/auth/sign-in/passkey/options',
    {
      schema: {
        operationId: 'passkeySignInOptions',
        tags: ['auth'],
        summary:
          'Start a passwordless sign-in: options for navigator.credentials.get (Cognito InitiateAuth USER_AUTH, WEB_AUTHN)',
        body: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Type.Ref('PasskeyAuthenticationOptions'),
          ...problemResponses(400, 429, 503),
        },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => passkeys.signInOptions(requestMeta(request)),
  );

  app.post(
    '/api/auth/sign-in/passkey',
    {
      schema: {
        operationId: 'passkeySignIn',
        tags: ['auth'],
        summary:
          "Sign in with a passkey's answer; a passkey without user verification, with MFA on, answers with the second step's challenge",
        body: PasskeySignInBodySchema,
        response: { 200: TokensOrChallenge, ...problemResponses(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      const { refreshTokenIn } = request.body;
      if (refreshTokenIn === 'body' && fromBrowser(request)) throw new BrowserBodyTokenError();
      const result = await passkeys.signIn(
        {
          credential: asAuthentication(request.body.credential),
          keepSignedIn: request.body.keepSignedIn,
        },
        requestMeta(request),
        deviceCookieOf(request),
      );
      return answerSignIn(reply, result, refreshTokenIn);
    },
  );

  app.post(
    '/api/auth/sign-in/mfa/passkey/options',
    {
      schema: {
        operationId: 'passkeySecondStepOptions',
        tags: ['auth'],
        summary:
          "Options for answering the sign-in's second step with one of the account's passkeys",
        body: MfaChallengeBodySchema,
        response: {
          200: Type.Ref('PasskeyAuthenticationOptions'),
          ...problemResponses(400, 401, 409, 429, 503),
        },
      },
    },
    async (request) => passkeys.secondFactorOptions(request.body.challenge),
  );

  app.post(
    '/api/auth/sign-in/mfa/passkey',
    {
      schema: {
        operationId: 'signInMfaPasskey',
        tags: ['auth'],
        summary: "Sign-in's second step with a passkey (Cognito RespondToAuthChallenge WEB_AUTHN)",
        body: PasskeySecondStepBodySchema,
        response: { 200: Type.Ref('AuthTokens'), ...problemResponses(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      const { challenge, refreshTokenIn } = request.body;
      if (refreshTokenIn === 'body' && fromBrowser(request)) throw new BrowserBodyTokenError();
      const tokens = await sessions.completeMfa(
        { challenge, method: 'passkey', credential: asAuthentication(request.body.credential) },
        requestMeta(request),
      );
      return answerSignIn(reply, tokens, refreshTokenIn);
    },
  );

  app.register(async (scope) => {
    const signedIn = scope.withTypeProvider<TypeBoxTypeProvider>();
    signedIn.addHook('onRequest', signedIn.authenticate);

    signedIn.get(
      '/api/auth/passkeys',
      {
        schema: {
          operationId: 'listPasskeys',
          tags: ['auth'],
          summary: 'My passkeys (Cognito ListWebAuthnCredentials)',
          security: bearer,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('Passkey')) }),
            ...problemResponses(401, 503),
          },
        },
      },
      async (request) => ({ items: await passkeys.list(request.user.id) }),
    );

    signedIn.post(
      '/api/auth/passkeys/options',
      {
        schema: {
          operationId: 'passkeyRegistrationOptions',
          tags: ['auth'],
          summary:
            'Start adding a passkey: options for navigator.credentials.create (Cognito StartWebAuthnRegistration)',
          security: bearer,
          body: RegistrationOptionsBodySchema,
          response: {
            200: Type.Ref('PasskeyRegistrationOptions'),
            ...problemResponses(400, 401, 403, 409, 429, 503),
          },
        },
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) =>
        passkeys.registrationOptions(
          {
            id: request.user.id,
            sessionId: request.user.sessionId,
            signedInAt: request.user.signedInAt ?? new Date(0),
            level: request.user.level ?? 'aal1',
          },
          request.body.password,
          requestMeta(request),
        ),
    );

    signedIn.post(
      '/api/auth/passkeys',
      {
        schema: {
          operationId: 'registerPasskey',
          tags: ['auth'],
          summary:
            "Finish adding a passkey with the authenticator's answer (Cognito CompleteWebAuthnRegistration)",
          security: bearer,
          body: RegisterBodySchema,
          response: { 201: Type.Ref('Passkey'), ...problemResponses(400, 401, 409, 503) },
        },
      },
      async (request, reply) => {
        const created = await passkeys.register(
          request.user.id,
          { credential: asRegistration(request.body.credential), name: request.body.name },
          requestMeta(request),
        );
        return reply.code(201).send(created);
      },
    );

    signedIn.patch(
      '/api/auth/passkeys/:id',
      {
        schema: {
          operationId: 'renamePasskey',
          tags: ['auth'],
          summary: 'Rename one of my passkeys',
          security: bearer,
          params: PasskeyParamsSchema,
          body: RenameBodySchema,
          response: { 200: Type.Ref('Passkey'), ...problemResponses(400, 401, 404, 503) },
        },
      },
      async (request) => passkeys.rename(request.user.id, request.params.id, request.body.name),
    );

    signedIn.delete(
      '/api/auth/passkeys/:id',
      {
        schema: {
          operationId: 'deletePasskey',
          tags: ['auth'],
          summary:
            'Remove one of my passkeys; refused if it is the last way to sign in (Cognito DeleteWebAuthnCredential)',
          security: bearer,
          params: PasskeyParamsSchema,
          response: { 204: Type.Null(), ...problemResponses(400, 401, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        await passkeys.remove(request.user.id, request.params.id, requestMeta(request));
        return reply.code(204).send(null);
      },
    );
  });
};
