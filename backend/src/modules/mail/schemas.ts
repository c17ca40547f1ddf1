import { Type } from 'typebox';

/** SNS HTTP(S) delivery envelope: https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html */
export const SnsEnvelopeSchema = Type.Object(
  {
    Type: Type.Union([
      Type.Literal('Notification'),
      Type.Literal('SubscriptionConfirmation'),
      Type.Literal('UnsubscribeConfirmation'),
    ]),
    MessageId: Type.String({ minLength: 1, maxLength: 200 }),
    TopicArn: Type.String({ pattern: '^arn:', maxLength: 512 }),
    Message: Type.String({ maxLength: 262144 }),
    SubscribeURL: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { title: 'SnsEnvelope', description: 'An SNS message (SES notifications arrive this way)' },
);

/** The plain shape for any other source (a relay's bounce hook, a script, an operator). */
export const SimpleMailEventSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('bounce'), Type.Literal('complaint')]),
    email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' }),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false, title: 'SimpleMailEvent' },
);

/** An SES notification posted directly (SNS "raw message delivery"), from SES or its events. */
export const SesMessageSchema = Type.Union(
  [
    Type.Object({ notificationType: Type.String({ minLength: 1, maxLength: 64 }) }),
    Type.Object({ eventType: Type.String({ minLength: 1, maxLength: 64 }) }),
  ],
  { title: 'SesNotification', description: 'An SES bounce or complaint notification' },
);

export const MailEventBodySchema = Type.Union(
  [SnsEnvelopeSchema, SimpleMailEventSchema, SesMessageSchema],
  { description: 'An SNS envelope, a raw SES notification, or the simple shape' },
);

export const MailEventResultSchema = Type.Object({
  outcome: Type.Union(
    [Type.Literal('suppressed'), Type.Literal('ignored'), Type.Literal('subscription_confirmed')],
    {
      description:
        '`suppressed`: the addresses are on the list; `ignored`: nothing to do (delivery, transient bounce, unsubscribe)',
    },
  ),
  recipients: Type.Integer({ minimum: 0, description: 'Addresses the notification named' }),
  added: Type.Integer({
    minimum: 0,
    description: 'Addresses newly suppressed (0 when the notification was seen before)',
  }),
});

export const SuppressionSchema = Type.Object(
  {
    email: Type.String(),
    reason: Type.Union([
      Type.Literal('bounce'),
      Type.Literal('complaint'),
      Type.Literal('smtp_rejection'),
    ]),
    detail: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'MailSuppression', title: 'MailSuppression' },
);

export const SuppressionListQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (1-100)' }),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 400, description: 'Opaque cursor from the last page' }),
  ),
  search: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 254,
      description: 'Only addresses containing this text (case-insensitive)',
    }),
  ),
});

export const SuppressionParamsSchema = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@/]+@[^\\s@/]+$' }),
});
