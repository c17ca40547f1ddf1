import { SoftwareAuthenticator } from '../../backend/test/support/webauthn';

// jsdom has no WebAuthn. This puts a browser's `navigator.credentials` over the backend tests'
// software authenticator: the page's code (and @simplewebauthn/browser) runs unchanged, the
// backend verifies real signatures, and only the device is simulated.

function b64(data: BufferSource): string {
  const bytes = ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data as ArrayBuffer);
  return Buffer.from(bytes).toString('base64url');
}

function buffer(base64url: string): ArrayBuffer {
  const bytes = Buffer.from(base64url, 'base64url');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export interface BrowserAuthenticator {
  authenticator: SoftwareAuthenticator;
  /** The next prompt is dismissed, as a person closing it would (NotAllowedError). */
  dismissNext(): void;
  uninstall(): void;
}

/** Gives the page a platform authenticator for `origin` (the backend's PUBLIC_URL). */
export function installAuthenticator(
  origin: string,
  options: { userVerified?: boolean } = {},
): BrowserAuthenticator {
  const authenticator = new SoftwareAuthenticator({
    origin,
    rpId: new URL(origin).hostname,
    ...options,
  });
  let dismiss = false;
  const refuse = () => {
    dismiss = false;
    return Promise.reject(new DOMException('The prompt was closed.', 'NotAllowedError'));
  };
  const credential = (id: string, response: object) => ({
    id,
    rawId: buffer(id),
    type: 'public-key',
    response,
    authenticatorAttachment: 'platform',
    getClientExtensionResults: () => ({}),
  });
  const credentials = {
    async create({ publicKey }: CredentialCreationOptions) {
      if (dismiss) return refuse();
      if (!publicKey) throw new TypeError('publicKey options needed');
      const answer = authenticator.create({
        ...publicKey,
        challenge: b64(publicKey.challenge),
        user: { ...publicKey.user, id: b64(publicKey.user.id) },
      } as never);
      return credential(answer.id, {
        clientDataJSON: buffer(answer.response.clientDataJSON),
        attestationObject: buffer(answer.response.attestationObject),
        getTransports: () => answer.response.transports ?? [],
      });
    },
    async get({ publicKey }: CredentialRequestOptions) {
      if (dismiss) return refuse();
      if (!publicKey) throw new TypeError('publicKey options needed');
      const answer = authenticator.get({
        ...publicKey,
        challenge: b64(publicKey.challenge),
      } as never);
      return credential(answer.id, {
        clientDataJSON: buffer(answer.response.clientDataJSON),
        authenticatorData: buffer(answer.response.authenticatorData),
        signature: buffer(answer.response.signature),
        userHandle: answer.response.userHandle ? buffer(answer.response.userHandle) : null,
      });
    },
  };
  const previous = Object.getOwnPropertyDescriptor(navigator, 'credentials');
  Object.defineProperty(navigator, 'credentials', { configurable: true, value: credentials });
  Object.assign(globalThis, { PublicKeyCredential: class PublicKeyCredential {} });
  return {
    authenticator,
    dismissNext: () => {
      dismiss = true;
    },
    uninstall() {
      if (previous) Object.defineProperty(navigator, 'credentials', previous);
      else Reflect.deleteProperty(navigator, 'credentials');
      Reflect.deleteProperty(globalThis, 'PublicKeyCredential');
    },
  };
}
