-- OAuth 2.0 client credentials (docs/auth.md, "Service clients"): a client acts for the account
-- of the admin who created it, within its allowed scopes and audiences.
CREATE TABLE "service_clients" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "owner_id" UUID NOT NULL,
    "allowed_scopes" TEXT[] NOT NULL,
    "allowed_audiences" TEXT[] NOT NULL,
    "token_lifetime_seconds" INTEGER NOT NULL,
    "rate_limit_per_minute" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "service_clients_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "service_clients_token_lifetime_check" CHECK ("token_lifetime_seconds" BETWEEN 60 AND 3600),
    CONSTRAINT "service_clients_rate_limit_check" CHECK ("rate_limit_per_minute" BETWEEN 1 AND 10000)
);

CREATE INDEX "service_clients_owner_id_idx" ON "service_clients"("owner_id");

ALTER TABLE "service_clients" ADD CONSTRAINT "service_clients_owner_id_fkey"
    FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Only the SHA-256 of a secret is stored (256 random bits: a slow hash would add nothing).
CREATE TABLE "service_client_secrets" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "service_client_secrets_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "service_client_secrets_secret_hash_key" ON "service_client_secrets"("secret_hash");
CREATE INDEX "service_client_secrets_client_id_idx" ON "service_client_secrets"("client_id");

ALTER TABLE "service_client_secrets" ADD CONSTRAINT "service_client_secrets_client_id_fkey"
    FOREIGN KEY ("client_id") REFERENCES "service_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
