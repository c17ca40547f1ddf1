import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Gauge } from 'prom-client';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { webhooksRoutes } from './routes.js';
import { WEBHOOK_SCHEMAS } from './schemas.js';
import { createWebhooksService } from './service.js';
import { createSecretBox } from './signing.js';

export interface WebhooksModuleOptions {
  config: Pick<
    Config,
    'WEBHOOKS_ENCRYPTION_KEY' | 'WEBHOOKS_ALLOW_PRIVATE_TARGETS' | 'WEBHOOKS_ROTATION_OVERLAP_HOURS'
  >;
  db: Database;
}

const STATUSES = ['pending', 'succeeded', 'failed'] as const;

/** Outgoing webhooks: endpoint management and the deliveries metric (sending is the worker's). */
export const webhooksModule: FastifyPluginAsyncTypebox<WebhooksModuleOptions> = async (
  app,
  { config, db },
) => {
  for (const schema of WEBHOOK_SCHEMAS) app.addSchema(schema);

  // Read from the table at scrape time: the worker sends, the API process reports, and every
  // replica reports the same figures.
  new Gauge({
    name: 'webhook_deliveries',
    help: 'Webhook deliveries by status (pending, succeeded, failed = dead-lettered or 410)',
    labelNames: ['status'] as const,
    registers: [app.metrics],
    async collect() {
      const rows = await db.webhookDelivery.groupBy({ by: ['status'], _count: { _all: true } });
      for (const status of STATUSES) {
        this.set({ status }, rows.find((row) => row.status === status)?._count._all ?? 0);
      }
    },
  });

  await app.register(webhooksRoutes, {
    webhooks: createWebhooksService({
      db,
      box: config.WEBHOOKS_ENCRYPTION_KEY ? createSecretBox(config.WEBHOOKS_ENCRYPTION_KEY) : null,
      allowPrivateTargets: config.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
      rotationOverlapHours: config.WEBHOOKS_ROTATION_OVERLAP_HOURS,
    }),
  });
};
