import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { registerWebhookDeliveriesGauge } from './metrics.js';
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

/** Outgoing webhooks: endpoint management and the deliveries metric (sending is the worker's). */
export const webhooksModule: FastifyPluginAsyncTypebox<WebhooksModuleOptions> = async (
  app,
  { config, db },
) => {
  for (const schema of WEBHOOK_SCHEMAS) app.addSchema(schema);

  registerWebhookDeliveriesGauge(app.metrics, db);

  await app.register(webhooksRoutes, {
    webhooks: createWebhooksService({
      db,
      box: config.WEBHOOKS_ENCRYPTION_KEY ? createSecretBox(config.WEBHOOKS_ENCRYPTION_KEY) : null,
      allowPrivateTargets: config.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
      rotationOverlapHours: config.WEBHOOKS_ROTATION_OVERLAP_HOURS,
    }),
  });
};
