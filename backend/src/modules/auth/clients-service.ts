import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { AccessTokens } from '../../plugins/authenticate.js';
import { recordAudit } from '../audit/service.js';
import { InvalidClientError, OAuthError } from './oauth-errors.js';
import type { RequestMeta } from './session-store.js';

/** Two live secrets: the one in use and its successor, so rotation needs no downtime. */
export const MAX_LIVE_SECRETS = 2;
/** A token lives at most an hour: a leaked one is useful for no longer than that. */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;
export const DEFAULT_SECRET_LIFETIME_DAYS = 365;
const RATE_WINDOW_SECONDS = 60;

export interface ClientInput {
  name: string;
  allowedScopes: string[];
  allowedAudiences: string[];
  tokenLifetimeSeconds: number;
  rateLimitPerMinute: number;
}

export interface SecretView {
  id: string;
  hint: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  live: boolean;
}

export interface ClientView extends ClientInput {
  id: string;
  ownerId: string;
  createdAt: string;
  disabledAt: string | null;
  lastUsedAt: string | null;
  secrets: SecretView[];
}

export interface IssuedSecret {
  secret: SecretView;
  /** Shown once; only its SHA-256 is kept. */
  value: string;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenRequest {
  scope?: string | undefined;
  audience?: string | undefined;
}

type ClientRow = {
  id: string;
  name: string;
  ownerId: string;
  allowedScopes: string[];
  allowedAudiences: string[];
  tokenLifetimeSeconds: number;
  rateLimitPerMinute: number;
  createdAt: Date;
  disabledAt: Date | null;
  lastUsedAt: Date | null;
  secrets: {
    id: string;
    hint: string;
    createdAt: Date;
    expiresAt: Date;
    revokedAt: Date | null;
    lastUsedAt: Date | null;
  }[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (date: Date | null) => (date ? date.toISOString() : null);
const hashSecret = (value: string) => createHash('sha256').update(value).digest('hex');
const isLive = (secret: { revokedAt: Date | null; expiresAt: Date }, now = new Date()) =>
  secret.revokedAt === null && secret.expiresAt > now;

function secretView(secret: ClientRow['secrets'][number]): SecretView {
  return {
    id: secret.id,
    hint: secret.hint,
    createdAt: secret.createdAt.toISOString(),
    expiresAt: secret.expiresAt.toISOString(),
    revokedAt: iso(secret.revokedAt),
    lastUsedAt: iso(secret.lastUsedAt),
    live: isLive(secret),
  };
}

function clientView(client: ClientRow): ClientView {
  return {
    id: client.id,
    name: client.name,
    ownerId: client.ownerId,
    allowedScopes: client.allowedScopes,
    allowedAudiences: client.allowedAudiences,
    tokenLifetimeSeconds: client.tokenLifetimeSeconds,
    rateLimitPerMinute: client.rateLimitPerMinute,
    createdAt: client.createdAt.toISOString(),
    disabledAt: iso(client.disabledAt),
    lastUsedAt: iso(client.lastUsedAt),
    secrets: client.secrets.map(secretView),
  };
}

const withSecrets = { secrets: { orderBy: { createdAt: 'asc' as const } } };

/**
 * Service clients (OAuth 2.0 client credentials, RFC 6749 §4.4): what an admin manages and what
 * the token endpoint checks. Each token request mints a new, independent access token; earlier
 * ones stay valid until they expire, so a service running many servers holds many at once.
 */
export function createClientsService(deps: {
  db: Database;
  accessTokens: AccessTokens;
  secretLifetimeDays?: number;
}) {
  const { db, accessTokens } = deps;
  const secretLifetimeMs = (deps.secretLifetimeDays ?? DEFAULT_SECRET_LIFETIME_DAYS) * 86_400_000;

  function newSecret() {
    const value = `hps_${randomBytes(32).toString('base64url')}`;
    return {
      value,
      data: {
        secretHash: hashSecret(value),
        hint: value.slice(-4),
        expiresAt: new Date(Date.now() + secretLifetimeMs),
      },
    };
  }

  async function load(id: string): Promise<ClientRow> {
    const client = UUID.test(id)
      ? await db.serviceClient.findUnique({ where: { id }, include: withSecrets })
      : null;
    if (!client) throw new NotFoundError('Service client');
    return client;
  }

  /** Fixed one-minute window per client in the shared throttle table (every replica counts). */
  async function countTokenRequest(clientId: string, limit: number) {
    const key = `oauth-token:client:${clientId}`;
    const [row] = await db.$queryRaw<{ count: number; window_start: Date }[]>`
      INSERT INTO auth_throttles (key, count, window_start) VALUES (${key}, 1, now())
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN auth_throttles.window_start <= now() - make_interval(secs => ${RATE_WINDOW_SECONDS})
                THEN 1 ELSE auth_throttles.count + 1 END,
        window_start = CASE WHEN auth_throttles.window_start <= now() - make_interval(secs => ${RATE_WINDOW_SECONDS})
                THEN now() ELSE auth_throttles.window_start END
      RETURNING count, window_start`;
    if (row && row.count > limit) {
      const wait = Math.max(
        1,
        Math.ceil((row.window_start.getTime() + RATE_WINDOW_SECONDS * 1000 - Date.now()) / 1000),
      );
      throw new OAuthError(
        429,
        'rate_limited',
        `This client may request ${limit} tokens a minute; try again in ${wait} s.`,
        { 'retry-after': String(wait) },
      );
    }
  }

  /** The client and the secret that authenticates it, or invalid_client for any failure. */
  async function authenticateClient({ clientId, clientSecret }: ClientCredentials) {
    if (!UUID.test(clientId) || clientSecret.length === 0) throw new InvalidClientError();
    const presented = Buffer.from(hashSecret(clientSecret));
    const client = await db.serviceClient.findUnique({
      where: { id: clientId },
      include: { secrets: true, owner: { select: { status: true } } },
    });
    if (!client || client.disabledAt || client.owner.status !== 'active') {
      throw new InvalidClientError();
    }
    const now = new Date();
    const secret = client.secrets.find(
      (candidate) =>
        isLive(candidate, now) && timingSafeEqual(Buffer.from(candidate.secretHash), presented),
    );
    if (!secret) throw new InvalidClientError();
    return { client, secret };
  }

  return {
    async list(): Promise<ClientView[]> {
      const clients = await db.serviceClient.findMany({
        include: withSecrets,
        orderBy: { createdAt: 'asc' },
      });
      return clients.map(clientView);
    },

    async create(
      actorId: string,
      input: ClientInput,
      meta: RequestMeta,
    ): Promise<{ client: ClientView; secret: IssuedSecret }> {
      const secret = newSecret();
      const client = await db.$transaction(async (tx) => {
        const created = await tx.serviceClient.create({
          data: {
            name: input.name.trim(),
            ownerId: actorId,
            allowedScopes: [...new Set(input.allowedScopes)],
            allowedAudiences: [...new Set(input.allowedAudiences)],
            tokenLifetimeSeconds: input.tokenLifetimeSeconds,
            rateLimitPerMinute: input.rateLimitPerMinute,
            secrets: { create: secret.data },
          },
          include: withSecrets,
        });
        await recordAudit(tx, {
          type: 'service_client.created',
          userId: actorId,
          actorId,
          ...meta,
          details: {
            clientId: created.id,
            name: created.name,
            scopes: created.allowedScopes,
            audiences: created.allowedAudiences,
          },
        });
        return created;
      });
      const [stored] = client.secrets;
      if (!stored) throw new Error('the new client has no secret');
      return {
        client: clientView(client),
        secret: { secret: secretView(stored), value: secret.value },
      };
    },

    /** A second live secret for rotation; a third is refused until one is revoked or expires. */
    async createSecret(
      actorId: string,
      clientId: string,
      meta: RequestMeta,
    ): Promise<IssuedSecret> {
      await load(clientId);
      const secret = newSecret();
      const stored = await db.$transaction(async (tx) => {
        // The client row lock serialises concurrent rotations, so two requests cannot both
        // see one live secret and each add another.
        await tx.$queryRaw`SELECT id FROM service_clients WHERE id = ${clientId}::uuid FOR UPDATE`;
        const live = await tx.serviceClientSecret.count({
          where: { clientId, revokedAt: null, expiresAt: { gt: new Date() } },
        });
        if (live >= MAX_LIVE_SECRETS) {
          throw new ConflictError(
            'too_many_secrets',
            `A client has at most ${MAX_LIVE_SECRETS} live secrets; revoke one first.`,
          );
        }
        const created = await tx.serviceClientSecret.create({
          data: { ...secret.data, clientId },
        });
        await recordAudit(tx, {
          type: 'service_client.secret_created',
          userId: actorId,
          actorId,
          ...meta,
          details: { clientId, secretId: created.id },
        });
        return created;
      });
      return { secret: secretView(stored), value: secret.value };
    },

    /** Revoked at once: the token endpoint refuses it from the next request on. */
    async revokeSecret(
      actorId: string,
      clientId: string,
      secretId: string,
      meta: RequestMeta,
    ): Promise<ClientView> {
      await load(clientId);
      if (!UUID.test(secretId)) throw new NotFoundError('Secret');
      await db.$transaction(async (tx) => {
        const { count } = await tx.serviceClientSecret.updateMany({
          where: { id: secretId, clientId, revokedAt: null },
          data: { revokedAt: new Date() },
        });
        if (count === 0) throw new NotFoundError('Secret');
        await recordAudit(tx, {
          type: 'service_client.secret_revoked',
          userId: actorId,
          actorId,
          ...meta,
          details: { clientId, secretId },
        });
      });
      return clientView(await load(clientId));
    },

    /**
     * No new tokens, and the live ones stop working at once: the API checks the client on every
     * service request. Disabling is final; create a new client instead of re-enabling.
     */
    async disable(actorId: string, clientId: string, meta: RequestMeta): Promise<ClientView> {
      const client = await load(clientId);
      if (client.disabledAt) return clientView(client);
      await db.$transaction(async (tx) => {
        await tx.serviceClient.update({
          where: { id: clientId },
          data: { disabledAt: new Date() },
        });
        await recordAudit(tx, {
          type: 'service_client.disabled',
          userId: actorId,
          actorId,
          ...meta,
          details: { clientId, name: client.name },
        });
      });
      return clientView(await load(clientId));
    },

    /** The client_credentials grant: scope ⊆ allowed, audience ∈ allowed, a fresh token. */
    async issueToken(credentials: ClientCredentials, request: TokenRequest) {
      const { client, secret } = await authenticateClient(credentials);
      const requested = request.scope?.split(' ').filter((scope) => scope.length > 0);
      const scopes =
        requested && requested.length > 0 ? [...new Set(requested)] : client.allowedScopes;
      const refused = scopes.filter((scope) => !client.allowedScopes.includes(scope));
      if (refused.length > 0) {
        throw new OAuthError(
          400,
          'invalid_scope',
          `Not allowed for this client: ${refused.join(' ')}.`,
        );
      }
      if (scopes.length === 0) {
        throw new OAuthError(400, 'invalid_scope', 'This client has no scopes.');
      }
      const audience = request.audience ?? client.allowedAudiences[0];
      if (!audience || !client.allowedAudiences.includes(audience)) {
        throw new OAuthError(
          400,
          'invalid_target',
          'This audience is not allowed for this client.',
        );
      }
      await countTokenRequest(client.id, client.rateLimitPerMinute);
      const lifetime = Math.min(client.tokenLifetimeSeconds, MAX_TOKEN_LIFETIME_SECONDS);
      const token = accessTokens.signService({
        clientId: client.id,
        scopes,
        audience,
        ttlSeconds: lifetime,
      });
      const now = new Date();
      await db.$transaction([
        db.serviceClient.update({ where: { id: client.id }, data: { lastUsedAt: now } }),
        db.serviceClientSecret.update({ where: { id: secret.id }, data: { lastUsedAt: now } }),
      ]);
      return {
        access_token: token,
        token_type: 'Bearer' as const,
        expires_in: lifetime,
        scope: scopes.join(' '),
      };
    },
  };
}

export type ClientsService = ReturnType<typeof createClientsService>;
