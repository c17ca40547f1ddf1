import { Type } from 'typebox';

/** base64url, as WebAuthn's JSON forms carry every binary value. */
const B64 = (maxLength: number, description?: string) =>
  Type.String({
    pattern: '^[A-Za-z0-9_-]+$',
    maxLength,
    ...(description ? { description } : {}),
  });

const Transports = Type.Array(Type.String({ pattern: '^[a-z-]{1,32}$' }), { maxItems: 10 });
const Attachment = Type.Optional(
  Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
);
const ExtensionResults = Type.Object({}, { additionalProperties: true });

/** What `navigator.credentials.create` returned, in its JSON form (`RegistrationResponseJSON`). */
export const RegistrationCredentialSchema = Type.Object(
  {
    id: B64(1366),
    rawId: B64(1366),
    type: Type.Literal('public-key'),
    response: Type.Object({
      clientDataJSON: B64(8192),
      attestationObject: B64(65_536),
      authenticatorData: Type.Optional(B64(65_536)),
      transports: Type.Optional(Transports),
      publicKeyAlgorithm: Type.Optional(Type.Integer()),
      publicKey: Type.Optional(B64(8192)),
    }),
    authenticatorAttachment: Attachment,
    clientExtensionResults: ExtensionResults,
  },
  { $id: 'PasskeyRegistrationCredential', title: 'PasskeyRegistrationCredential' },
);

/** What `navigator.credentials.get` returned, in its JSON form (`AuthenticationResponseJSON`). */
export const AuthenticationCredentialSchema = Type.Object(
  {
    id: B64(1366),
    rawId: B64(1366),
    type: Type.Literal('public-key'),
    response: Type.Object({
      clientDataJSON: B64(8192),
      authenticatorData: B64(65_536),
      signature: B64(8192),
      userHandle: Type.Optional(B64(256)),
    }),
    authenticatorAttachment: Attachment,
    clientExtensionResults: ExtensionResults,
  },
  { $id: 'PasskeyAuthenticationCredential', title: 'PasskeyAuthenticationCredential' },
);

const Descriptor = Type.Object(
  { id: Type.String(), type: Type.Literal('public-key'), transports: Type.Optional(Transports) },
  { additionalProperties: true },
);

/** `PublicKeyCredentialCreationOptionsJSON`: give it to `startRegistration` as it is. */
export const RegistrationOptionsSchema = Type.Object(
  {
    challenge: Type.String(),
    rp: Type.Object({ name: Type.String(), id: Type.Optional(Type.String()) }),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }),
    pubKeyCredParams: Type.Array(
      Type.Object({ alg: Type.Integer(), type: Type.Literal('public-key') }),
    ),
    timeout: Type.Optional(Type.Integer()),
    excludeCredentials: Type.Optional(Type.Array(Descriptor)),
    authenticatorSelection: Type.Optional(Type.Object({}, { additionalProperties: true })),
    attestation: Type.Optional(Type.String()),
    hints: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  {
    $id: 'PasskeyRegistrationOptions',
    title: 'PasskeyRegistrationOptions',
    additionalProperties: true,
  },
);

/** `PublicKeyCredentialRequestOptionsJSON`: give it to `startAuthentication` as it is. */
export const AuthenticationOptionsSchema = Type.Object(
  {
    challenge: Type.String(),
    rpId: Type.Optional(Type.String()),
    timeout: Type.Optional(Type.Integer()),
    allowCredentials: Type.Optional(Type.Array(Descriptor)),
    userVerification: Type.Optional(Type.String()),
    hints: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  {
    $id: 'PasskeyAuthenticationOptions',
    title: 'PasskeyAuthenticationOptions',
    additionalProperties: true,
  },
);

export const PasskeySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    synced: Type.Boolean({
      description: 'A synced passkey (a cloud keychain) rather than one bound to its device',
    }),
    transports: Type.Array(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Passkey', title: 'Passkey' },
);

// No control characters (Postgres text cannot hold NUL), and not only spaces.
const NameSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$',
});

export const RegistrationOptionsBodySchema = Type.Object(
  {
    password: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 512,
        description:
          'Needed unless this session is aal2 (or, for an account without a password, signed in within the last 10 minutes)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RegisterBodySchema = Type.Object(
  {
    credential: Type.Ref('PasskeyRegistrationCredential'),
    name: Type.Optional({ ...NameSchema, description: 'Defaults to "Passkey N"' }),
  },
  { additionalProperties: false },
);

export const RenameBodySchema = Type.Object({ name: NameSchema }, { additionalProperties: false });

export const PasskeyParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) });

const RefreshTokenIn = Type.Union([Type.Literal('cookie'), Type.Literal('body')], {
  default: 'cookie',
  description: 'As for /api/auth/sign-in',
});

export const PasskeySignInBodySchema = Type.Object(
  {
    credential: Type.Ref('PasskeyAuthenticationCredential'),
    keepSignedIn: Type.Boolean({ default: false }),
    refreshTokenIn: RefreshTokenIn,
  },
  { additionalProperties: false },
);

export const MfaChallengeBodySchema = Type.Object(
  { challenge: Type.String({ minLength: 20, maxLength: 200 }) },
  { additionalProperties: false },
);

export const PasskeySecondStepBodySchema = Type.Object(
  {
    challenge: Type.String({ minLength: 20, maxLength: 200 }),
    credential: Type.Ref('PasskeyAuthenticationCredential'),
    refreshTokenIn: RefreshTokenIn,
  },
  { additionalProperties: false },
);
