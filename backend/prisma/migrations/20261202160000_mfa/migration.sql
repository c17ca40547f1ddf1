-- TOTP MFA with recovery codes (docs/auth.md, "Multi-factor authentication").

-- How a session signed in: its access tokens (refreshed ones too) carry these as amr/acr.
ALTER TABLE "sessions" ADD COLUMN "auth_methods" TEXT[] NOT NULL DEFAULT ARRAY['pwd']::TEXT[];
ALTER TABLE "sessions" ADD COLUMN "auth_level" TEXT NOT NULL DEFAULT 'aal1';

-- The TOTP secret is stored only sealed (AES-256-GCM under MFA_ENCRYPTION_KEY). last_used_step
-- is the compare-and-set that accepts each code once, across every backend replica.
CREATE TABLE "mfa_totp_factors" (
    "user_id" UUID NOT NULL,
    "secret_sealed" TEXT NOT NULL,
    "activated_at" TIMESTAMPTZ(3),
    "last_used_step" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mfa_totp_factors_pkey" PRIMARY KEY ("user_id")
);

ALTER TABLE "mfa_totp_factors" ADD CONSTRAINT "mfa_totp_factors_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Recovery codes carry 80 random bits: their SHA-256 is stored, never the code.
CREATE TABLE "mfa_recovery_codes" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mfa_recovery_codes_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "mfa_recovery_codes_code_hash_key" ON "mfa_recovery_codes"("code_hash");
CREATE INDEX "mfa_recovery_codes_user_id_idx" ON "mfa_recovery_codes"("user_id");

ALTER TABLE "mfa_recovery_codes" ADD CONSTRAINT "mfa_recovery_codes_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The second sign-in step: a correct password opens one, a TOTP or recovery code closes it.
CREATE TABLE "mfa_challenges" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "persistent" BOOLEAN NOT NULL,
    "device_id" TEXT,
    "trusted_device" BOOLEAN NOT NULL DEFAULT false,
    "totp_attempts" INTEGER NOT NULL DEFAULT 0,
    "recovery_attempts" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mfa_challenges_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "mfa_challenges_token_hash_key" ON "mfa_challenges"("token_hash");
CREATE INDEX "mfa_challenges_user_id_idx" ON "mfa_challenges"("user_id");
CREATE INDEX "mfa_challenges_expires_at_idx" ON "mfa_challenges"("expires_at");

ALTER TABLE "mfa_challenges" ADD CONSTRAINT "mfa_challenges_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
