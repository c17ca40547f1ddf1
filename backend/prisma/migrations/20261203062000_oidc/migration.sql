-- Sign-in with Google, Apple or any OpenID Connect provider. An account created by a provider
-- has no password.
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;

CREATE TABLE "identities" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "email_verified" BOOLEAN NOT NULL DEFAULT false,
    "private_relay" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "identities_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "identities_issuer_subject_key" ON "identities"("issuer", "subject");
CREATE INDEX "identities_user_id_idx" ON "identities"("user_id");

ALTER TABLE "identities" ADD CONSTRAINT "identities_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "identity_link_requests" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "claims" JSONB NOT NULL,
    "persistent" BOOLEAN NOT NULL DEFAULT false,
    "code_hash" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_link_requests_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "identity_link_requests_token_hash_key" ON "identity_link_requests"("token_hash");
CREATE INDEX "identity_link_requests_user_id_idx" ON "identity_link_requests"("user_id");
CREATE INDEX "identity_link_requests_expires_at_idx" ON "identity_link_requests"("expires_at");

ALTER TABLE "identity_link_requests" ADD CONSTRAINT "identity_link_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "oidc_spent_states" (
    "state_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "oidc_spent_states_pkey" PRIMARY KEY ("state_hash")
);

CREATE INDEX "oidc_spent_states_expires_at_idx" ON "oidc_spent_states"("expires_at");
