import { Type } from 'typebox';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './events.js';

const Uuid = () => Type.String({ format: 'uuid' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });

export const WebhookParams = Type.Object({ boardId: Uuid(), webhookId: Uuid() });

export const EventTypesSchema = Type.Array(
  Type.Union([ALL_EVENTS, ...WEBHOOK_EVENT_TYPES].map((type) => Type.Literal(type))),
  {
    minItems: 1,
    maxItems: WEBHOOK_EVENT_TYPES.length + 1,
    description: 'Activity types to deliver; `*` = every type',
  },
);

export const WebhookUrl = Type.String({
  minLength: 8,
  maxLength: 2000,
  description:
    'https:// URL of the receiver (http and private addresses only where the server allows)',
});

export const WebhookSchema = Type.Object(
  {
    id: Uuid(),
    boardId: Uuid(),
    url: Type.String(),
    eventTypes: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    disabledReason: Nullable(
      Type.Union([Type.Literal('manual'), Type.Literal('gone')], {
        description: 'manual: a supervisor disabled it; gone: the receiver answered 410',
      }),
    ),
    previousSecretExpiresAt: Nullable(
      Type.String({ format: 'date-time', description: 'Until then the previous secret signs too' }),
    ),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Webhook', title: 'Webhook' },
);

export const WebhookWithSecretSchema = Type.Object(
  {
    webhook: Type.Ref('Webhook'),
    secret: Type.String({ description: 'The signing secret (whsec_…); shown this once only' }),
  },
  { $id: 'WebhookWithSecret', title: 'WebhookWithSecret' },
);

export const WebhookDeliverySchema = Type.Object(
  {
    id: Type.String({ description: 'Also the Webhook-Id header; the same on every retry' }),
    eventType: Type.String(),
    activityId: Nullable(Type.String()),
    taskId: Nullable(Uuid()),
    status: Type.Union([
      Type.Literal('pending'),
      Type.Literal('succeeded'),
      Type.Literal('failed'),
    ]),
    attempts: Type.Integer(),
    nextAttemptAt: Nullable(Timestamp),
    lastAttemptAt: Nullable(Timestamp),
    responseStatus: Nullable(Type.Integer()),
    responseExcerpt: Nullable(Type.String({ description: 'The first 1 KiB of the answer' })),
    error: Nullable(Type.String({ description: 'Why no answer came (timeout, refused, …)' })),
    createdAt: Timestamp,
  },
  { $id: 'WebhookDelivery', title: 'WebhookDelivery' },
);

export const WEBHOOK_SCHEMAS = [WebhookSchema, WebhookWithSecretSchema, WebhookDeliverySchema];
