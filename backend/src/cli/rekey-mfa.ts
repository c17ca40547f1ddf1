import { loadMfaKeysConfig } from '../config.js';
import { createDatabase } from '../db/client.js';
import { runMain } from '../lib/run-main.js';
import { resealTotpSecrets } from '../modules/auth/mfa-service.js';
import { deriveMfaKeys } from '../modules/auth/totp.js';

const USAGE = `usage: rekey-mfa
After a rotation of MFA_ENCRYPTION_KEY (the old key in MFA_ENCRYPTION_KEY_PREVIOUS), seals every
TOTP secret still under the old key again under the new one. Safe to run again, and beside
running servers. Exits 0 when no secret is left under the old key (then drop the old key),
2 when some secret opens with neither key.`;

async function main() {
  if (process.argv.length > 2) {
    console.error(USAGE);
    process.exit(64);
  }
  const config = loadMfaKeysConfig();
  const db = createDatabase({ url: config.DATABASE_URL, poolSize: 2 });
  try {
    const keys = deriveMfaKeys(config.MFA_ENCRYPTION_KEY, config.MFA_ENCRYPTION_KEY_PREVIOUS);
    const { resealed, current, unreadable } = await resealTotpSecrets(db, keys);
    console.log(
      `Sealed ${resealed} secret(s) again under the current key; ${current} already were; ${unreadable} open with neither key.`,
    );
    if (unreadable > 0) process.exitCode = 2;
  } finally {
    await db.$disconnect();
  }
}

runMain(main);
