-- Sign-in failures per (account, source) and per account, keyed by the email's hash so that an
-- unknown email is counted and locked exactly like a real account (see docs/auth.md).
CREATE TABLE "auth_sign_in_failures" (
    "account" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "notified_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auth_sign_in_failures_pkey" PRIMARY KEY ("account", "source")
);

CREATE INDEX "auth_sign_in_failures_updated_at_idx" ON "auth_sign_in_failures"("updated_at");

-- The successor of a rotated refresh token (its refresh and access token), encrypted with a
-- server key, so a repeated refresh within the grace window answers with the same pair.
ALTER TABLE "refresh_tokens" ADD COLUMN "successor_sealed" TEXT;
