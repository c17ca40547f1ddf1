import { Type } from 'typebox';
import { PATTERNS } from '../../lib/patterns.js';
import { PASSWORD_MAX_LENGTH } from './passwords.js';

export const EmailSchema = Type.String({
  maxLength: 254,
  pattern: PATTERNS.email.source,
  description: 'Email address (compared case-insensitively)',
});

// Length and the common-password list are checked by the service, which names the rule broken.
const PasswordSchema = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH * 4 });
const NewPasswordSchema = Type.String({
  minLength: 1,
  maxLength: PASSWORD_MAX_LENGTH * 4,
  description: '10-128 characters, not on the common-password list',
});
const CodeSchema = Type.String({
  pattern: PATTERNS.emailCode.source,
  description: 'The 6-digit emailed code',
});
const RoleSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('supervisor'),
  Type.Literal('member'),
]);

export const SignUpBodySchema = Type.Object(
  {
    email: EmailSchema,
    password: NewPasswordSchema,
    locale: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('ko')])),
  },
  { additionalProperties: false },
);

export const SignUpResponseSchema = Type.Object({
  confirmation: Type.Union([Type.Literal('email_code'), Type.Literal('none')], {
    description: '`email_code`: confirm with the emailed code; `none`: sign in now',
  }),
});

export const ConfirmBodySchema = Type.Object(
  { email: EmailSchema, code: CodeSchema },
  { additionalProperties: false },
);

export const EmailBodySchema = Type.Object({ email: EmailSchema }, { additionalProperties: false });

export const AcceptedSchema = Type.Object({
  status: Type.Literal('accepted', {
    description: 'The same answer whether or not an account exists for the email',
  }),
});

export const OkSchema = Type.Object({ status: Type.Literal('ok') });

export const SignInBodySchema = Type.Object(
  {
    email: EmailSchema,
    password: PasswordSchema,
    keepSignedIn: Type.Boolean({
      default: false,
      description: 'Long-lived session and a persistent cookie',
    }),
    refreshTokenIn: Type.Union([Type.Literal('cookie'), Type.Literal('body')], {
      default: 'cookie',
      description:
        '`cookie` (browsers): httpOnly cookie only. `body`: returned in the JSON, for non-browser clients; refused when the request comes from a browser',
    }),
  },
  { additionalProperties: false },
);

export const RefreshBodySchema = Type.Object(
  {
    refreshToken: Type.Optional(
      Type.String({
        minLength: 20,
        maxLength: 200,
        description: 'Non-browser clients; browsers send the cookie instead',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TokenResponseSchema = Type.Object(
  {
    accessToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
    sessionId: Type.String({ format: 'uuid' }),
    refreshToken: Type.Optional(
      Type.String({ description: 'Only when requested in the body (non-browser clients)' }),
    ),
    refreshTokenExpiresAt: Type.String({ format: 'date-time' }),
    user: Type.Object({
      id: Type.String({ format: 'uuid' }),
      email: Type.String(),
      roles: Type.Array(RoleSchema),
    }),
  },
  { $id: 'AuthTokens', title: 'AuthTokens' },
);

export const SessionSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    persistent: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    current: Type.Boolean({ description: 'The session of the token making this request' }),
  },
  { $id: 'Session', title: 'Session' },
);

export const SessionParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ResetBodySchema = Type.Object(
  { email: EmailSchema, code: CodeSchema, newPassword: NewPasswordSchema },
  { additionalProperties: false },
);

export const ChangePasswordBodySchema = Type.Object(
  { currentPassword: PasswordSchema, newPassword: NewPasswordSchema },
  { additionalProperties: false },
);

export const DeleteAccountBodySchema = Type.Object(
  { password: PasswordSchema },
  { additionalProperties: false },
);

export const JwksSchema = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String(),
      crv: Type.String(),
      x: Type.String(),
      y: Type.String(),
      kid: Type.String(),
      alg: Type.String(),
      use: Type.String(),
    }),
  ),
});

export const UnlockBodySchema = Type.Object(
  {
    token: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The `unlock` parameter of the emailed link',
    }),
  },
  { additionalProperties: false },
);
