import { createInterface } from 'node:readline';
import { loadDatabaseConfig } from '../config.js';
import { createDatabase } from '../db/client.js';
import { runMain } from '../lib/run-main.js';
import { createEventPublisher } from '../modules/auth/events.js';
import { createAdmin } from '../modules/users/bootstrap.js';

const USAGE = `usage: create-admin <email>
Makes <email> an admin. An existing account is promoted (and confirmed if it was pending).
For a new account the password is read from standard input (one line) or HOMEPORT_ADMIN_PASSWORD.`;

async function readPassword(): Promise<string | undefined> {
  if (process.env.HOMEPORT_ADMIN_PASSWORD) return process.env.HOMEPORT_ADMIN_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('Password for a new account (input is shown): ');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return undefined;
}

async function main() {
  const email = process.argv[2];
  if (!email || process.argv.length > 3 || email.startsWith('-')) {
    console.error(USAGE);
    process.exit(64);
  }
  // Only the database is needed: this runs beside any stack, not just inside a server's settings.
  const config = loadDatabaseConfig();
  const db = createDatabase({ url: config.DATABASE_URL, poolSize: 2 });
  try {
    const exists = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    const password = exists ? undefined : await readPassword();
    const events = createEventPublisher({ connectionString: config.DATABASE_URL });
    const result = await createAdmin({ db, events }, email, password);
    console.log(
      {
        created: `Created admin account ${email}.`,
        promoted: `${email} is now an admin.`,
        already_admin: `${email} is already an admin.`,
      }[result],
    );
  } finally {
    await db.$disconnect();
  }
}

runMain(main);
