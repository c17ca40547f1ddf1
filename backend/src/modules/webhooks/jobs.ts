import type { Config } from '../../config.js';
import type { LoopContext } from '../../jobs/worker-jobs.js';
import { startWakeLoop } from '../../lib/wake-loop.js';
import { startFeedConsumer } from '../tasks/feed.js';
import { WEBHOOKS_CONSUMER, writeDeliveries } from './consumer.js';
import { createWebhookSender, DELIVERIES_CHANNEL } from './sender.js';
import { createSecretBox } from './signing.js';

export function senderOptionsOf(config: Config) {
  return {
    allowPrivateTargets: config.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
    connectTimeoutMs: config.WEBHOOKS_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: config.WEBHOOKS_RESPONSE_TIMEOUT_MS,
    retryBaseMs: config.WEBHOOKS_RETRY_BASE_SECONDS * 1000,
    retryWindowMs: config.WEBHOOKS_RETRY_WINDOW_HOURS * 3600_000,
  };
}

/**
 * The EventBridge rule → target of the worker: the `webhooks` feed consumer writes delivery rows,
 * and a sender loop (woken when deliveries are written, polling for retries falling due) POSTs
 * them. Nothing runs without WEBHOOKS_ENCRYPTION_KEY.
 */
export function startWebhookDelivery(
  { db, config, log }: LoopContext,
  { pollIntervalMs = 2000 }: { pollIntervalMs?: number } = {},
): () => Promise<void> {
  if (!config.WEBHOOKS_ENCRYPTION_KEY) return async () => undefined;
  const webhookLog = log.child({ module: 'webhooks' });
  const consumer = startFeedConsumer({
    db,
    name: WEBHOOKS_CONSUMER,
    databaseUrl: config.DATABASE_URL,
    log: webhookLog,
    async handle(tx, entries) {
      await writeDeliveries(tx, entries);
    },
  });
  const sender = createWebhookSender({
    db,
    box: createSecretBox(config.WEBHOOKS_ENCRYPTION_KEY),
    log: webhookLog,
    ...senderOptionsOf(config),
  });
  const loop = startWakeLoop({
    name: 'webhook sender',
    channel: DELIVERIES_CHANNEL,
    databaseUrl: config.DATABASE_URL,
    pollIntervalMs,
    log: webhookLog,
    async run() {
      await sender.sendDue();
    },
  });
  return async () => {
    await Promise.allSettled([consumer.stop(), loop.stop()]);
  };
}
