import type { Database } from '../../db/client.js';
import { type PostOptions, postWebhook } from './post.js';
import { type SecretBox, signatureHeader } from './signing.js';
import { checkTarget, WebhookTargetError } from './target-guard.js';

export const DELIVERIES_CHANNEL = 'homeport_webhook_deliveries';

/** A claimed delivery is not claimed again by another worker until this passes. */
const LEASE_SECONDS = 120;
const MAX_RETRY_DELAY_MS = 3600_000;

export interface SenderOptions extends PostOptions {
  db: Database;
  box: SecretBox;
  allowPrivateTargets: boolean;
  retryBaseMs: number;
  retryWindowMs: number;
  batchSize?: number;
  log: {
    info(object: object, message: string): void;
    error(object: object, message: string): void;
  };
  random?: () => number;
}

interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  payload: string;
  attempts: number;
  created_at: Date;
  url: string;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: Date | null;
}

/**
 * Exponential backoff with jitter: attempt n waits between half and all of base·2^(n-1), at most
 * an hour. Returns null when the next attempt would fall outside the retry window (dead letter).
 */
export function nextAttemptAt(
  attempts: number,
  createdAt: Date,
  now: Date,
  { retryBaseMs, retryWindowMs }: { retryBaseMs: number; retryWindowMs: number },
  random: () => number = Math.random,
): Date | null {
  const ceiling = Math.min(retryBaseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
  const at = new Date(now.getTime() + ceiling / 2 + (random() * ceiling) / 2);
  return at.getTime() - createdAt.getTime() > retryWindowMs ? null : at;
}

/**
 * The sender: claims due deliveries and POSTs them. A delivery is due when it is pending, its
 * time has come, its endpoint is enabled (test events go out regardless), and no earlier pending
 * delivery of the same endpoint and task exists: per task, receivers see events in feed order.
 */
export function createWebhookSender(options: SenderOptions) {
  const { db, box, log, batchSize = 20, random = Math.random } = options;

  async function claim(): Promise<ClaimedDelivery[]> {
    return db.$queryRawUnsafe<ClaimedDelivery[]>(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d
           JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()
            AND (d.locked_until IS NULL OR d.locked_until < now())
            AND (e.enabled OR d.event_type = 'webhook.test')
            AND NOT EXISTS (
              SELECT 1 FROM webhook_deliveries p
               WHERE p.endpoint_id = d.endpoint_id AND p.task_id = d.task_id
                 AND p.status = 'pending' AND p.seq < d.seq)
          ORDER BY d.seq
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries d SET locked_until = now() + make_interval(secs => $2)
         FROM due, webhook_endpoints e
        WHERE d.id = due.id AND e.id = d.endpoint_id
       RETURNING d.id, d.endpoint_id, d.payload, d.attempts, d.created_at, e.url,
         e.secret_encrypted, e.previous_secret_encrypted, e.previous_secret_expires_at`,
      batchSize,
      LEASE_SECONDS,
    );
  }

  async function deliver(delivery: ClaimedDelivery): Promise<string> {
    const now = new Date();
    const attempts = delivery.attempts + 1;
    const secrets = [box.open(delivery.secret_encrypted, delivery.endpoint_id)];
    if (
      delivery.previous_secret_encrypted &&
      delivery.previous_secret_expires_at &&
      delivery.previous_secret_expires_at > now
    ) {
      secrets.push(box.open(delivery.previous_secret_encrypted, delivery.endpoint_id));
    }
    let result: { status: number | null; excerpt: string | null; error: string | null };
    try {
      const target = await checkTarget(delivery.url, options.allowPrivateTargets);
      const timestamp = Math.floor(now.getTime() / 1000);
      result = await postWebhook(
        target,
        {
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(secrets, delivery.id, timestamp, delivery.payload),
        },
        delivery.payload,
        options,
      );
    } catch (error) {
      if (!(error instanceof WebhookTargetError)) throw error;
      result = { status: null, excerpt: null, error: `refused target: ${error.code}` };
    }
    const succeeded = result.status !== null && result.status >= 200 && result.status < 300;
    const gone = result.status === 410;
    const retryAt =
      succeeded || gone ? null : nextAttemptAt(attempts, delivery.created_at, now, options, random);
    const status = succeeded ? 'succeeded' : retryAt ? 'pending' : 'failed';
    await db.$transaction(async (tx) => {
      await tx.webhookDelivery.update({
        where: { id: delivery.id },
        data: {
          status,
          attempts,
          lastAttemptAt: now,
          lockedUntil: null,
          ...(retryAt ? { nextAttemptAt: retryAt } : {}),
          responseStatus: result.status,
          responseExcerpt: result.excerpt,
          error: result.error,
        },
      });
      // 410 Gone: the receiver asks to stop; the endpoint is disabled until re-enabled.
      if (gone) {
        await tx.webhookEndpoint.update({
          where: { id: delivery.endpoint_id },
          data: { enabled: false, disabledReason: 'gone' },
        });
      }
    });
    log.info(
      {
        deliveryId: delivery.id,
        endpointId: delivery.endpoint_id,
        status,
        attempts,
        responseStatus: result.status,
        error: result.error,
      },
      'webhook delivery attempted',
    );
    return status;
  }

  return {
    /** Sends everything due now, batch by batch; returns how many attempts were made. */
    async sendDue(): Promise<number> {
      let made = 0;
      for (;;) {
        const batch = await claim();
        if (batch.length === 0) return made;
        const outcomes = await Promise.allSettled(batch.map(deliver));
        for (const [index, outcome] of outcomes.entries()) {
          if (outcome.status === 'rejected') {
            log.error(
              { err: outcome.reason, deliveryId: batch[index]?.id },
              'webhook delivery failed',
            );
          }
        }
        made += batch.length;
      }
    },
  };
}
