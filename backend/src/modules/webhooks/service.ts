import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../generated/prisma/client.js';
import { NotFoundError, ServiceUnavailableError } from '../../lib/errors.js';
import { type Actor, boardAccess, requireSupervisor } from '../tasks/access.js';
import { TEST_EVENT_TYPE, type WebhookEvent } from './events.js';
import type { SecretBox } from './signing.js';
import { generateSecret } from './signing.js';
import { checkTarget } from './target-guard.js';

export interface WebhookView {
  id: string;
  boardId: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  /** While a rotation's previous secret still signs too. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryView {
  id: string;
  eventType: string;
  activityId: string | null;
  taskId: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  responseStatus: number | null;
  responseExcerpt: string | null;
  error: string | null;
  createdAt: string;
}

function toView(endpoint: WebhookEndpoint, now = new Date()): WebhookView {
  const previousLive =
    endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now
      ? endpoint.previousSecretExpiresAt.toISOString()
      : null;
  return {
    id: endpoint.id,
    boardId: endpoint.boardId,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    previousSecretExpiresAt: previousLive,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

function toDeliveryView(delivery: WebhookDelivery): DeliveryView {
  return {
    id: delivery.id,
    eventType: delivery.eventType,
    activityId: delivery.activityId?.toString() ?? null,
    taskId: delivery.taskId,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    responseStatus: delivery.responseStatus,
    responseExcerpt: delivery.responseExcerpt,
    error: delivery.error,
    createdAt: delivery.createdAt.toISOString(),
  };
}

export interface WebhooksServiceOptions {
  db: Database;
  /** Null when WEBHOOKS_ENCRYPTION_KEY is unset: every call answers 503. */
  box: SecretBox | null;
  allowPrivateTargets: boolean;
  rotationOverlapHours: number;
}

/** Endpoint management for board supervisors; deliveries are written by the worker. */
export function createWebhooksService({
  db,
  box,
  allowPrivateTargets,
  rotationOverlapHours,
}: WebhooksServiceOptions) {
  function requireBox(): SecretBox {
    if (!box) {
      throw new ServiceUnavailableError(
        'webhooks_disabled',
        'Webhooks are not configured on this server (WEBHOOKS_ENCRYPTION_KEY).',
        3600,
      );
    }
    return box;
  }

  async function supervised(actor: Actor, boardId: string) {
    const box = requireBox();
    const access = await boardAccess(db, actor, boardId);
    requireSupervisor(access);
    return { box, access };
  }

  async function endpointOf(boardId: string, webhookId: string): Promise<WebhookEndpoint> {
    const endpoint = await db.webhookEndpoint.findFirst({ where: { id: webhookId, boardId } });
    if (!endpoint) throw new NotFoundError('Webhook');
    return endpoint;
  }

  return {
    async list(actor: Actor, boardId: string): Promise<WebhookView[]> {
      await supervised(actor, boardId);
      const rows = await db.webhookEndpoint.findMany({
        where: { boardId },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map((row) => toView(row));
    },

    /** The secret is returned here and on rotation only; it is stored encrypted. */
    async create(
      actor: Actor,
      boardId: string,
      input: { url: string; eventTypes: string[] },
    ): Promise<{ webhook: WebhookView; secret: string }> {
      const { box } = await supervised(actor, boardId);
      const { url } = await checkTarget(input.url, allowPrivateTargets);
      const id = randomUUID();
      const secret = generateSecret();
      const endpoint = await db.webhookEndpoint.create({
        data: {
          id,
          boardId,
          url: url.toString(),
          eventTypes: [...new Set(input.eventTypes)],
          secretEncrypted: box.seal(secret, id),
        },
      });
      return { webhook: toView(endpoint), secret };
    },

    /** URL and filter changes, disabling, and re-enabling (which resumes waiting deliveries). */
    async update(
      actor: Actor,
      boardId: string,
      webhookId: string,
      input: {
        url?: string | undefined;
        eventTypes?: string[] | undefined;
        enabled?: boolean | undefined;
      },
    ): Promise<WebhookView> {
      await supervised(actor, boardId);
      await endpointOf(boardId, webhookId);
      const url =
        input.url === undefined
          ? undefined
          : (await checkTarget(input.url, allowPrivateTargets)).url.toString();
      const endpoint = await db.webhookEndpoint.update({
        where: { id: webhookId },
        data: {
          ...(url === undefined ? {} : { url }),
          ...(input.eventTypes === undefined ? {} : { eventTypes: [...new Set(input.eventTypes)] }),
          ...(input.enabled === undefined
            ? {}
            : { enabled: input.enabled, disabledReason: input.enabled ? null : 'manual' }),
        },
      });
      return toView(endpoint);
    },

    async remove(actor: Actor, boardId: string, webhookId: string): Promise<void> {
      await supervised(actor, boardId);
      await endpointOf(boardId, webhookId);
      await db.webhookEndpoint.delete({ where: { id: webhookId } });
    },

    /**
     * A new secret, shown once; the current one becomes the previous and keeps signing (a second
     * signature) for the overlap, so receivers can switch without losing a delivery.
     */
    async rotateSecret(
      actor: Actor,
      boardId: string,
      webhookId: string,
    ): Promise<{ webhook: WebhookView; secret: string }> {
      const { box } = await supervised(actor, boardId);
      const current = await endpointOf(boardId, webhookId);
      const secret = generateSecret();
      const endpoint = await db.webhookEndpoint.update({
        where: { id: webhookId },
        data: {
          secretEncrypted: box.seal(secret, webhookId),
          previousSecretEncrypted: current.secretEncrypted,
          previousSecretExpiresAt: new Date(Date.now() + rotationOverlapHours * 3600_000),
        },
      });
      return { webhook: toView(endpoint), secret };
    },

    /** Queues a `webhook.test` delivery; the worker sends it like any other (even if disabled). */
    async sendTest(actor: Actor, boardId: string, webhookId: string): Promise<DeliveryView> {
      const { access } = await supervised(actor, boardId);
      await endpointOf(boardId, webhookId);
      const id = randomUUID();
      const event: WebhookEvent = {
        id,
        type: TEST_EVENT_TYPE,
        occurredAt: new Date().toISOString(),
        board: { id: boardId, key: access.boardKey },
        task: null,
        actorId: actor.user.id,
        changes: {},
      };
      const delivery = await db.webhookDelivery.create({
        data: {
          id,
          endpointId: webhookId,
          eventType: TEST_EVENT_TYPE,
          payload: JSON.stringify(event),
        },
      });
      return toDeliveryView(delivery);
    },

    async listDeliveries(
      actor: Actor,
      boardId: string,
      webhookId: string,
      { limit }: { limit: number },
    ): Promise<DeliveryView[]> {
      await supervised(actor, boardId);
      await endpointOf(boardId, webhookId);
      const rows = await db.webhookDelivery.findMany({
        where: { endpointId: webhookId },
        orderBy: { seq: 'desc' },
        take: limit,
      });
      return rows.map(toDeliveryView);
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
