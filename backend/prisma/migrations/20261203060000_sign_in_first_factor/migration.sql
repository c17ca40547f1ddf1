-- Every sign-in path (password, a provider, a passkey) can open the second step: the challenge
-- keeps the first step's amr, and the session gets it plus the second factor's.
ALTER TABLE "mfa_challenges" ADD COLUMN "first_factor" TEXT[] NOT NULL DEFAULT ARRAY['pwd']::TEXT[];
