import { createPrivateKey, sign } from 'node:crypto';
import * as client from 'openid-client';
import { ServiceUnavailableError } from '../../lib/errors.js';
import type { GenericOidcProvider } from './oidc-config.js';

/** One provider the sign-in page offers: Google, Apple, or a generic OpenID Connect provider. */
export interface OidcProviderDefinition {
  id: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** Sign in with Apple: the client secret is an ES256 JWT minted per token request. */
  apple?: { teamId: string; keyId: string; privateKey: string } | undefined;
}

export interface OidcSettings {
  OIDC_GOOGLE_CLIENT_ID?: string | undefined;
  OIDC_GOOGLE_CLIENT_SECRET?: string | undefined;
  OIDC_GOOGLE_ISSUER: string;
  OIDC_APPLE_CLIENT_ID?: string | undefined;
  OIDC_APPLE_TEAM_ID?: string | undefined;
  OIDC_APPLE_KEY_ID?: string | undefined;
  OIDC_APPLE_PRIVATE_KEY?: string | undefined;
  OIDC_APPLE_ISSUER: string;
  OIDC_PROVIDERS: GenericOidcProvider[];
}

/** The providers whose settings are complete, in the order the sign-in page shows them. */
export function providersFromSettings(settings: OidcSettings): OidcProviderDefinition[] {
  const providers: OidcProviderDefinition[] = [];
  if (settings.OIDC_GOOGLE_CLIENT_ID) {
    providers.push({
      id: 'google',
      displayName: 'Google',
      issuer: settings.OIDC_GOOGLE_ISSUER,
      clientId: settings.OIDC_GOOGLE_CLIENT_ID,
      clientSecret: settings.OIDC_GOOGLE_CLIENT_SECRET,
    });
  }
  const { OIDC_APPLE_CLIENT_ID, OIDC_APPLE_TEAM_ID, OIDC_APPLE_KEY_ID, OIDC_APPLE_PRIVATE_KEY } =
    settings;
  if (OIDC_APPLE_CLIENT_ID && OIDC_APPLE_TEAM_ID && OIDC_APPLE_KEY_ID && OIDC_APPLE_PRIVATE_KEY) {
    providers.push({
      id: 'apple',
      displayName: 'Apple',
      issuer: settings.OIDC_APPLE_ISSUER,
      clientId: OIDC_APPLE_CLIENT_ID,
      apple: {
        teamId: OIDC_APPLE_TEAM_ID,
        keyId: OIDC_APPLE_KEY_ID,
        privateKey: OIDC_APPLE_PRIVATE_KEY.replace(/\\n/g, '\n'),
      },
    });
  }
  for (const generic of settings.OIDC_PROVIDERS) {
    if (providers.some((provider) => provider.id === generic.id)) continue;
    providers.push(generic);
  }
  return providers;
}

/** Apple's client secret lives 5 minutes: minted for each token request, never renewed by hand. */
export const APPLE_CLIENT_SECRET_TTL_SECONDS = 300;

/** The ES256 client secret Apple asks for: iss = team, sub = Services ID, aud = Apple's issuer. */
export function appleClientSecret(
  apple: { teamId: string; keyId: string; privateKey: string },
  clientId: string,
  audience: string,
  now = Math.floor(Date.now() / 1000),
): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'ES256', kid: apple.keyId, typ: 'JWT' });
  const payload = encode({
    iss: apple.teamId,
    sub: clientId,
    aud: audience,
    iat: now,
    exp: now + APPLE_CLIENT_SECRET_TTL_SECONDS,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: createPrivateKey(apple.privateKey),
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/** Plain http is allowed only for a provider on this machine (the offline tests' providers). */
function loopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export class ProviderUnavailableError extends ServiceUnavailableError {
  constructor() {
    super(
      'provider_unavailable',
      'This sign-in provider cannot be reached right now; try again shortly.',
      30,
    );
  }
}

/**
 * Discovery happens on first use and is cached; a failure answers 503 for that provider and is
 * retried on the next request (never a boot failure).
 */
export function createProviderRegistry(providers: OidcProviderDefinition[]) {
  const byId = new Map(providers.map((provider) => [provider.id, provider]));
  const discovered = new Map<string, Promise<client.Configuration>>();

  function clientAuth(provider: OidcProviderDefinition): client.ClientAuth {
    const { apple } = provider;
    if (apple) {
      return (_as, _client, body) => {
        body.set('client_id', provider.clientId);
        body.set('client_secret', appleClientSecret(apple, provider.clientId, provider.issuer));
      };
    }
    return provider.clientSecret ? client.ClientSecretPost(provider.clientSecret) : client.None();
  }

  async function discover(provider: OidcProviderDefinition): Promise<client.Configuration> {
    const options = loopbackHttp(provider.issuer)
      ? { execute: [client.allowInsecureRequests], timeout: 10 }
      : { timeout: 10 };
    return client.discovery(
      new URL(provider.issuer),
      provider.clientId,
      { id_token_signed_response_alg: 'RS256' },
      clientAuth(provider),
      options,
    );
  }

  return {
    list: () => providers,
    get: (id: string) => byId.get(id),
    async configuration(provider: OidcProviderDefinition): Promise<client.Configuration> {
      let pending = discovered.get(provider.id);
      if (!pending) {
        pending = discover(provider);
        discovered.set(provider.id, pending);
      }
      try {
        return await pending;
      } catch {
        discovered.delete(provider.id);
        throw new ProviderUnavailableError();
      }
    },
  };
}

export type ProviderRegistry = ReturnType<typeof createProviderRegistry>;
