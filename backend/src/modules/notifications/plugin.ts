import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { createReminderSettings } from './reminders.js';
import { notificationsRoutes } from './routes.js';
import { createNotificationsService } from './service.js';
import { unsubscribeKey } from './unsubscribe.js';
import { unsubscribeRoutes } from './unsubscribe-routes.js';

export interface NotificationsModuleOptions {
  config: Pick<Config, 'AUTH_SECRET' | 'JWT_PRIVATE_KEY'>;
  db: Database;
}

/** The server secret the unsubscribe links are signed with (AUTH_SECRET, else the JWT key). */
export function notificationsSecret(config: NotificationsModuleOptions['config']): Buffer {
  return unsubscribeKey(config.AUTH_SECRET ?? config.JWT_PRIVATE_KEY);
}

/** Notifications: my feed of them, my preferences, watching, and the unsubscribe links. */
export const notificationsModule: FastifyPluginAsyncTypebox<NotificationsModuleOptions> = async (
  app,
  { config, db },
) => {
  await app.register(notificationsRoutes, {
    notifications: createNotificationsService({ db }),
    reminders: createReminderSettings(db),
  });
  await app.register(unsubscribeRoutes, { db, key: notificationsSecret(config) });
};
