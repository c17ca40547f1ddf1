import type { Config } from './config.js';
import { createDatabase, type Database } from './db/client.js';
import { createMailer, type Mailer } from './lib/mailer.js';
import { createStorage, type Storage } from './lib/storage.js';

/** The external services every module talks to; tests build them against real servers. */
export interface Dependencies {
  db: Database;
  storage: Storage;
  mailer: Mailer;
}

export function createDependencies(config: Config): Dependencies {
  return {
    db: createDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
    storage: createStorage(config),
    mailer: createMailer(config.SMTP_URL),
  };
}

export async function closeDependencies({ db, mailer }: Dependencies): Promise<void> {
  mailer.close();
  await db.$disconnect();
}
