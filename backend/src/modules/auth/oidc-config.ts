import { readFileSync } from 'node:fs';

/** A provider configured by `OIDC_<NAME>_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET(_FILE)`. */
export interface GenericOidcProvider {
  /** The lower-cased `<NAME>`: the provider's id in routes. */
  id: string;
  displayName: string;
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE only, token endpoint auth `none`). */
  clientSecret?: string | undefined;
}

const RESERVED = new Set(['GOOGLE', 'APPLE']);
const ISSUER_NAME = /^OIDC_([A-Z0-9]+)_ISSUER$/;

type Env = Record<string, string | undefined>;

function secret(env: Env, name: string): string | undefined {
  const value = env[name];
  const file = env[`${name}_FILE`];
  if (value && file)
    throw new Error(`Invalid configuration: ${name} and ${name}_FILE are both set`);
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(`Invalid configuration: ${name}_FILE: cannot read ${file} (${code})`);
    }
  }
  return value || undefined;
}

/**
 * Every generic provider in the environment (Google and Apple have their own settings). A
 * provider without a client id, or with an issuer that is not an http(s) URL, is a boot error.
 */
export function loadGenericOidcProviders(env: Env): GenericOidcProvider[] {
  const providers: GenericOidcProvider[] = [];
  for (const key of Object.keys(env).sort()) {
    const match = ISSUER_NAME.exec(key);
    const issuer = env[key];
    if (!match?.[1] || !issuer || RESERVED.has(match[1])) continue;
    const name = match[1];
    const clientId = env[`OIDC_${name}_CLIENT_ID`];
    if (!/^https?:\/\//.test(issuer)) {
      throw new Error(`Invalid configuration: OIDC_${name}_ISSUER must be an http(s) URL`);
    }
    if (!clientId) throw new Error(`Invalid configuration: OIDC_${name}_CLIENT_ID is required`);
    providers.push({
      id: name.toLowerCase(),
      displayName: env[`OIDC_${name}_DISPLAY_NAME`] || name.charAt(0) + name.slice(1).toLowerCase(),
      issuer,
      clientId,
      clientSecret: secret(env, `OIDC_${name}_CLIENT_SECRET`),
    });
  }
  return providers;
}
