import type {
  FastifyPluginAsyncTypebox,
  TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../lib/errors.js';
import { problemResponses } from '../../lib/problem.js';
import { deviceCookieOf, setDeviceCookie } from './devices.js';
import { answerSignIn, requestMeta, setRefreshCookie } from './http.js';
import { OIDC_COOKIE, OIDC_ROUND_TRIP_SECONDS, type OidcService } from './oidc-service.js';

const bearer = [{ bearerAuth: [] }];
const ProviderParams = Type.Object(
  { provider: Type.String({ pattern: '^[a-z0-9]{1,40}$' }) },
  { additionalProperties: false },
);
const StartQuery = Type.Object(
  {
    keepSignedIn: Type.Optional(Type.Boolean({ default: false })),
    ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);
/** The provider's answer: a few known fields, as the query (GET) or a form (POST). */
const CallbackFields = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 2000 })),
    error_uri: Type.Optional(Type.String({ maxLength: 2048 })),
    scope: Type.Optional(Type.String({ maxLength: 2048 })),
    authuser: Type.Optional(Type.String({ maxLength: 20 })),
    hd: Type.Optional(Type.String({ maxLength: 255 })),
    prompt: Type.Optional(Type.String({ maxLength: 100 })),
    session_state: Type.Optional(Type.String({ maxLength: 512 })),
    /** Apple: `{"name":{"firstName","lastName"},"email"}` on the first authorization only. */
    user: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);
const Provider = Type.Object(
  { id: Type.String(), displayName: Type.String() },
  { additionalProperties: false },
);
const Identity = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    provider: Type.String(),
    displayName: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    privateRelay: Type.Boolean({ description: 'An Apple Private Email Relay address' }),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false, $id: 'Identity' },
);
const TokenField = Type.String({ minLength: 20, maxLength: 200 });
const ProofBody = Type.Union([
  Type.Object(
    {
      token: TokenField,
      method: Type.Literal('password'),
      password: Type.String({ minLength: 1, maxLength: 1024 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      token: TokenField,
      method: Type.Literal('code'),
      code: Type.String({ pattern: '^[0-9]{6}$' }),
    },
    { additionalProperties: false },
  ),
]);
/** Same shapes as sign-in: the tokens, or the second step's challenge. */
const SignInAnswer = Type.Object({}, { additionalProperties: true });

function fragment(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

/**
 * Sign in with Google, Apple or any OpenID Connect provider: the round trip (browser
 * navigations answered with redirects into the app), the proof that links a provider to a
 * verified account, and the signed-in user's linked identities.
 */
export const oidcRoutes: FastifyPluginAsyncTypebox<{
  oidc: OidcService;
  publicUrl: string;
}> = async (app, { oidc, publicUrl }) => {
  app.addSchema(Identity);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.get(
    '/api/auth/providers',
    {
      schema: {
        operationId: 'listSignInProviders',
        tags: ['auth'],
        summary: 'The configured sign-in providers (Cognito hosted UI identity providers)',
        response: {
          200: Type.Object({ providers: Type.Array(Provider) }, { additionalProperties: false }),
        },
      },
    },
    async () => ({ providers: oidc.providers() }),
  );

  app.get(
    '/api/auth/oidc/:provider/start',
    {
      schema: {
        operationId: 'startProviderSignIn',
        tags: ['auth'],
        summary:
          'A top-level navigation: redirects to the provider (Cognito hosted UI /oauth2/authorize)',
        params: ProviderParams,
        querystring: StartQuery,
        response: { 302: Type.Null(), ...problemResponses(400, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const { url, cookie } = await oidc.start(
        request.params.provider,
        { keepSignedIn: request.query.keepSignedIn ?? false, ticket: request.query.ticket },
        requestMeta(request),
      );
      // SameSite=None: Apple's form_post is a cross-site POST, which a Lax cookie misses.
      reply.setCookie(OIDC_COOKIE, cookie, {
        httpOnly: true,
        secure: true,
        sameSite: 'none',
        path: '/',
        maxAge: OIDC_ROUND_TRIP_SECONDS,
      });
      return reply.redirect(url, 302);
    },
  );

  async function callback(
    request: FastifyRequest,
    provider: string,
    reply: FastifyReply,
    fields: Record<string, string | undefined>,
  ) {
    const cookie = request.cookies[OIDC_COOKIE];
    reply.clearCookie(OIDC_COOKIE, { httpOnly: true, secure: true, sameSite: 'none', path: '/' });
    const params = Object.fromEntries(
      Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    try {
      const outcome = await oidc.callback(
        provider,
        params,
        cookie,
        deviceCookieOf(request),
        requestMeta(request),
      );
      if (outcome.kind === 'linked') {
        return reply.redirect(
          `${publicUrl}/account#${fragment({ linked: outcome.provider })}`,
          303,
        );
      }
      if (outcome.kind === 'proof_needed') {
        const values = {
          token: outcome.token,
          provider: outcome.provider,
          email: outcome.email,
          password: String(outcome.hasPassword),
        };
        return reply.redirect(`${publicUrl}/sign-in/link#${fragment(values)}`, 303);
      }
      const { result } = outcome;
      if ('mfaRequired' in result) {
        const values = {
          challenge: result.challenge,
          expiresAt: result.challengeExpiresAt.toISOString(),
          methods: result.methods.join(' '),
        };
        return reply.redirect(`${publicUrl}/sign-in/second-step#${fragment(values)}`, 303);
      }
      setDeviceCookie(reply, result.deviceCookie);
      setRefreshCookie(reply, result);
      return reply.redirect(`${publicUrl}/`, 303);
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'server_error';
      if (!(error instanceof AppError))
        request.log.error({ err: error }, 'provider callback failed');
      const intent = (error as { intent?: string }).intent;
      const target = intent === 'link' ? '/account' : '/sign-in';
      const key = intent === 'link' ? 'link_error' : 'error';
      return reply.redirect(`${publicUrl}${target}#${fragment({ [key]: code })}`, 303);
    }
  }

  const callbackSchema = {
    tags: ['auth'],
    params: ProviderParams,
    response: { 303: Type.Null(), ...problemResponses(400) },
  };

  app.get(
    '/api/auth/oidc/:provider/callback',
    {
      schema: {
        ...callbackSchema,
        operationId: 'providerCallback',
        summary: "The provider's redirect (Cognito /oauth2/idpresponse); redirects into the app",
        querystring: CallbackFields,
      },
    },
    async (request, reply) => callback(request, request.params.provider, reply, request.query),
  );

  app.post(
    '/api/auth/oidc/:provider/callback',
    {
      schema: {
        ...callbackSchema,
        operationId: 'providerCallbackFormPost',
        summary: "The provider's form_post answer (Apple); redirects into the app",
        body: CallbackFields,
      },
    },
    async (request, reply) => callback(request, request.params.provider, reply, request.body),
  );

  app.post(
    '/api/auth/oidc/link/code',
    {
      schema: {
        operationId: 'sendProviderLinkCode',
        tags: ['auth'],
        summary: 'Email a code that proves the account, to link the provider to it',
        body: Type.Object({ token: TokenField }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await oidc.sendLinkCode(request.body.token, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/oidc/link',
    {
      schema: {
        operationId: 'proveProviderLink',
        tags: ['auth'],
        summary:
          "Link the provider to the verified account it matched, with the account's password or emailed code (Cognito AdminLinkProviderForUser); then signs in (MFA as usual)",
        body: ProofBody,
        response: { 200: SignInAnswer, ...problemResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const meta = requestMeta(request);
      const result =
        body.method === 'password'
          ? await oidc.proveWithPassword(body.token, body.password, deviceCookieOf(request), meta)
          : await oidc.proveWithCode(body.token, body.code, deviceCookieOf(request), meta);
      return answerSignIn(reply, result, 'cookie');
    },
  );

  app.register(async (scope) => {
    const signedIn = scope.withTypeProvider<TypeBoxTypeProvider>();
    signedIn.addHook('onRequest', signedIn.authenticate);

    signedIn.get(
      '/api/auth/identities',
      {
        schema: {
          operationId: 'listIdentities',
          tags: ['auth'],
          summary: 'The providers linked to this account',
          security: bearer,
          response: {
            200: Type.Object(
              { identities: Type.Array(Type.Ref('Identity')) },
              { additionalProperties: false },
            ),
            ...problemResponses(401),
          },
        },
      },
      async (request) => ({ identities: await oidc.identities(request.user.id) }),
    );

    signedIn.post(
      '/api/auth/identities/:provider/link',
      {
        schema: {
          operationId: 'linkIdentity',
          tags: ['auth'],
          summary: 'A one-time URL (5 minutes) that links a provider to this account',
          security: bearer,
          params: ProviderParams,
          response: {
            200: Type.Object({ url: Type.String() }, { additionalProperties: false }),
            ...problemResponses(401, 404),
          },
        },
      },
      async (request) => ({ url: oidc.linkTicket(request.user.id, request.params.provider) }),
    );

    signedIn.delete(
      '/api/auth/identities/:id',
      {
        schema: {
          operationId: 'unlinkIdentity',
          tags: ['auth'],
          summary:
            'Unlink a provider (Cognito AdminDisableProviderForUser); refused for the last way to sign in',
          security: bearer,
          params: Type.Object(
            { id: Type.String({ format: 'uuid' }) },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null(), ...problemResponses(401, 404, 409) },
        },
      },
      async (request, reply) => {
        await oidc.unlink(request.user.id, request.params.id, requestMeta(request));
        return reply.code(204).send(null);
      },
    );
  });
};
