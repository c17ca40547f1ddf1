import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const FLAG = { up: 0x01, uv: 0x04, be: 0x08, bs: 0x10, at: 0x40 } as const;

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64 = (data: Buffer | Uint8Array) => Buffer.from(data).toString('base64url');
/** A plain Uint8Array of this realm: the CBOR encoder refuses a Buffer where a page's globals
 * (jsdom in the frontend tests) replace Node's. */
const bytes = (data: Uint8Array) => Uint8Array.from(data);

export interface Ceremony {
  /** Defaults to the options' challenge, origin and RP id; tests override one to forge. */
  challenge?: string;
  origin?: string;
  rpId?: string;
  userVerified?: boolean;
  /** The signature counter this answer reports (defaults to the authenticator's next). */
  counter?: number;
}

/**
 * A software WebAuthn authenticator: one P-256 credential, `none` attestation, the flags and
 * counter the test asks for. It builds the exact bytes a browser would pass on (client data,
 * authenticator data, CBOR attestation object, DER signature), so the server's real WebAuthn
 * verification runs on them.
 */
export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private userHandle: string | undefined;
  /** The last counter reported; `counting: false` reports 0 every time (like synced passkeys). */
  private signCount = 0;

  constructor(
    readonly options: {
      origin: string;
      rpId: string;
      userVerified?: boolean;
      /** A synced passkey: backup eligible and backed up. */
      synced?: boolean;
      counting?: boolean;
    },
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get id(): string {
    return b64(this.credentialId);
  }

  private coseKey(): Uint8Array {
    const jwk = this.publicKey.export({ format: 'jwk' });
    const key = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, bytes(Buffer.from(jwk.x ?? '', 'base64url'))],
      [-3, bytes(Buffer.from(jwk.y ?? '', 'base64url'))],
    ]);
    return isoCBOR.encode(key);
  }

  private authData(rpId: string, userVerified: boolean, counter: number, attested: boolean) {
    let flags = FLAG.up | (userVerified ? FLAG.uv : 0);
    if (this.options.synced) flags |= FLAG.be | FLAG.bs;
    if (attested) flags |= FLAG.at;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    const parts = [sha256(rpId), Buffer.from([flags]), count];
    if (attested) {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), length, this.credentialId, Buffer.from(this.coseKey()));
    }
    return Buffer.concat(parts);
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private nextCounter(override: number | undefined): number {
    if (override !== undefined) return override;
    if (this.options.counting === false) return 0;
    this.signCount += 1;
    return this.signCount;
  }

  /** `navigator.credentials.create`, answered. */
  create(
    options: PublicKeyCredentialCreationOptionsJSON,
    ceremony: Ceremony = {},
  ): RegistrationResponseJSON {
    this.userHandle = options.user.id;
    const clientDataJSON = this.clientData(
      'webauthn.create',
      ceremony.challenge ?? options.challenge,
      ceremony.origin ?? this.options.origin,
    );
    const authData = this.authData(
      ceremony.rpId ?? this.options.rpId,
      ceremony.userVerified ?? this.options.userVerified ?? true,
      this.nextCounter(ceremony.counter),
      true,
    );
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, never>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, never>()],
        ['authData', bytes(authData)],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientDataJSON),
        attestationObject: b64(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /** `navigator.credentials.get`, answered with this credential. */
  get(
    options: PublicKeyCredentialRequestOptionsJSON,
    ceremony: Ceremony = {},
  ): AuthenticationResponseJSON {
    const clientDataJSON = this.clientData(
      'webauthn.get',
      ceremony.challenge ?? options.challenge,
      ceremony.origin ?? this.options.origin,
    );
    const authenticatorData = this.authData(
      ceremony.rpId ?? this.options.rpId,
      ceremony.userVerified ?? this.options.userVerified ?? true,
      this.nextCounter(ceremony.counter),
      false,
    );
    const signature = sign(
      'sha256',
      Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
      this.privateKey,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authenticatorData),
        signature: b64(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }
}
