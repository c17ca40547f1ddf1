import { Type } from 'typebox';

const TotpCodeSchema = Type.String({
  pattern: '^[0-9]{6}$',
  description: 'The 6-digit code the authenticator app shows',
});
/** A TOTP code or a recovery code (dashes and spaces allowed, letters in any case). */
const FactorCodeSchema = Type.String({
  minLength: 6,
  maxLength: 40,
  description: 'A 6-digit TOTP code, or one of the recovery codes',
});
const PasswordSchema = Type.String({ minLength: 1, maxLength: 512 });

export const MfaChallengeSchema = Type.Object(
  {
    mfaRequired: Type.Literal(true),
    challenge: Type.String({ description: 'Send it with the code to /api/auth/sign-in/mfa' }),
    challengeExpiresAt: Type.String({ format: 'date-time' }),
    methods: Type.Array(
      Type.Union([Type.Literal('totp'), Type.Literal('recovery_code'), Type.Literal('passkey')]),
      { description: '`passkey`: answer at /api/auth/sign-in/mfa/passkey' },
    ),
  },
  { $id: 'MfaChallenge', title: 'MfaChallenge' },
);

export const MfaSignInBodySchema = Type.Object(
  {
    challenge: Type.String({ minLength: 20, maxLength: 200 }),
    method: Type.Union([Type.Literal('totp'), Type.Literal('recovery_code')], {
      description: "`totp`: the app's code; `recovery_code`: one of the single-use codes",
    }),
    code: FactorCodeSchema,
    refreshTokenIn: Type.Union([Type.Literal('cookie'), Type.Literal('body')], {
      default: 'cookie',
      description: 'As for /api/auth/sign-in',
    }),
  },
  { additionalProperties: false },
);

export const MfaStatusSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    activatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    recoveryCodesLeft: Type.Integer({ minimum: 0 }),
    available: Type.Boolean({ description: 'false: this server has no MFA key; nobody can enrol' }),
  },
  { $id: 'MfaStatus', title: 'MfaStatus' },
);

export const EnrolBodySchema = Type.Object(
  {
    password: Type.Optional(
      Type.String({
        ...PasswordSchema,
        description: 'Needed unless this session signed in within the last 10 minutes',
      }),
    ),
  },
  { additionalProperties: false },
);

export const EnrolResponseSchema = Type.Object({
  secret: Type.String({ description: 'Base32, for typing into an app by hand' }),
  otpauthUri: Type.String({ description: 'otpauth://totp/… URI, shown as a QR code' }),
});

export const ActivateBodySchema = Type.Object(
  { code: TotpCodeSchema },
  { additionalProperties: false },
);

export const RecoveryCodesSchema = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { description: 'Shown once; each works once' }),
});

export const DisableBodySchema = Type.Object(
  { password: PasswordSchema, code: FactorCodeSchema },
  { additionalProperties: false },
);

export const PasswordBodySchema = Type.Object(
  { password: PasswordSchema },
  { additionalProperties: false },
);

export const UserIdParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) });
