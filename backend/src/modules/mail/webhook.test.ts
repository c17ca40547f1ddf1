import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';
import { createOutbox } from './outbox.js';

const ctx = setupTestContext();
const SECRET = `mail-webhook-${uniqueId('secret')}`;
let app: FastifyInstance;
let sns: Server;
let snsUrl: string;
const snsRequests: string[] = [];

beforeAll(async () => {
  // Stands in for SNS: answers the SubscribeURL GET; /fail answers 500.
  sns = createServer((request, response) => {
    snsRequests.push(request.url ?? '');
    response
      .writeHead(request.url?.startsWith('/fail') ? 500 : 200)
      .end('<ConfirmSubscriptionResponse/>');
  });
  await new Promise<void>((resolve) => sns.listen(0, '127.0.0.1', resolve));
  snsUrl = `http://127.0.0.1:${(sns.address() as AddressInfo).port}`;
  app = await ctx.buildApp({
    MAIL_WEBHOOK_SECRET: SECRET,
    MAIL_SNS_CONFIRM_URL_PATTERN: `^${snsUrl.replace(/[.]/g, '\\.')}/`,
  });
});

afterAll(async () => {
  await new Promise((resolve) => sns.close(resolve));
});

function post(
  body: unknown,
  headers: Record<string, string> = { 'x-mail-webhook-secret': SECRET },
) {
  return app.inject({
    method: 'POST',
    url: '/api/mail/events',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function snsNotification(message: object, messageId = uniqueId('sns')) {
  return {
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-events',
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    Signature: 'c2lnbmF0dXJl',
  };
}

function bounce(email: string, bounceType = 'Permanent') {
  return {
    notificationType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: email, diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
    },
    mail: { messageId: 'ses-message-id', destination: [email] },
  };
}

async function entries(email: string) {
  return ctx.deps.db.mailSuppression.findMany({ where: { email: email.toLowerCase() } });
}

describe('POST /api/mail/events', () => {
  it('answers 401 without the right secret and changes nothing', async () => {
    const email = `${uniqueId('auth')}@example.test`;
    const body = { type: 'bounce', email };
    const attempts: Record<string, string>[] = [
      {},
      { 'x-mail-webhook-secret': 'wrong-secret-of-some-length' },
      { 'x-mail-webhook-secret': `${SECRET}x` },
      { authorization: `Basic ${Buffer.from('sns:nope').toString('base64')}` },
      { authorization: `Bearer ${SECRET}` },
    ];
    for (const headers of attempts) {
      const response = await post(body, headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code).toBe('invalid_webhook_secret');
    }
    expect(await entries(email)).toHaveLength(0);
  });

  it('is off (503) when no secret is configured', async () => {
    const disabled = await ctx.buildApp({});
    const response = await disabled.inject({
      method: 'POST',
      url: '/api/mail/events',
      payload: { type: 'bounce', email: 'x@example.test' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('mail_webhook_disabled');
  });

  it('suppresses from the simple shape once, however often it arrives', async () => {
    const email = `${uniqueId('Simple')}@Example.test`;
    const first = await post({ type: 'complaint', email, reason: 'marked as spam' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ outcome: 'suppressed', recipients: 1, added: 1 });
    const again = await post({ type: 'complaint', email, reason: 'marked as spam' });
    expect(again.json()).toEqual({ outcome: 'suppressed', recipients: 1, added: 0 });
    const rows = await entries(email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: 'complaint', detail: 'marked as spam' });
  });

  it('accepts SES notifications through SNS (sent as text/plain) and HTTP Basic auth', async () => {
    const email = `${uniqueId('sns')}@example.test`;
    const notification = snsNotification(bounce(`"Some One" <${email}>`));
    const basic = `Basic ${Buffer.from(`sns:${SECRET}`).toString('base64')}`;
    for (let delivery = 0; delivery < 2; delivery++) {
      const response = await post(JSON.stringify(notification), {
        authorization: basic,
        'content-type': 'text/plain; charset=UTF-8',
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        outcome: 'suppressed',
        recipients: 1,
        added: delivery === 0 ? 1 : 0,
      });
    }
    expect(await entries(email)).toMatchObject([{ reason: 'bounce' }]);

    const complained = `${uniqueId('complaint')}@example.test`;
    const complaint = await post(
      snsNotification({
        notificationType: 'Complaint',
        complaint: {
          complainedRecipients: [{ emailAddress: complained }],
          complaintFeedbackType: 'abuse',
        },
      }),
    );
    expect(complaint.json()).toMatchObject({ outcome: 'suppressed', added: 1 });
    expect(await entries(complained)).toMatchObject([{ reason: 'complaint' }]);
  });

  it('accepts raw SES messages and SES event publishing, and ignores what is not permanent', async () => {
    const raw = `${uniqueId('raw')}@example.test`;
    expect((await post(bounce(raw))).json()).toMatchObject({ outcome: 'suppressed', added: 1 });
    const event = `${uniqueId('event')}@example.test`;
    const { notificationType: _type, ...rest } = bounce(event);
    expect((await post({ eventType: 'Bounce', ...rest })).json()).toMatchObject({ added: 1 });

    const transient = `${uniqueId('transient')}@example.test`;
    const ignored = await post(snsNotification(bounce(transient, 'Transient')));
    expect(ignored.json()).toEqual({ outcome: 'ignored', recipients: 1, added: 0 });
    const delivery = await post(snsNotification({ notificationType: 'Delivery', delivery: {} }));
    expect(delivery.json()).toEqual({ outcome: 'ignored', recipients: 0, added: 0 });
    expect(await entries(transient)).toHaveLength(0);
  });

  it('confirms an SNS subscription by fetching its SubscribeURL, and only allowed ones', async () => {
    const token = uniqueId('token');
    const confirmation = {
      Type: 'SubscriptionConfirmation',
      MessageId: uniqueId('sub'),
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-events',
      Message: 'You have chosen to subscribe to the topic.',
      Token: token,
      SubscribeURL: `${snsUrl}/?Action=ConfirmSubscription&Token=${token}`,
    };
    const confirmed = await post(JSON.stringify(confirmation), {
      'x-mail-webhook-secret': SECRET,
      'content-type': 'text/plain; charset=UTF-8',
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({
      outcome: 'subscription_confirmed',
      recipients: 0,
      added: 0,
    });
    expect(snsRequests).toContain(`/?Action=ConfirmSubscription&Token=${token}`);

    const before = snsRequests.length;
    const elsewhere = await post({
      ...confirmation,
      SubscribeURL: 'http://169.254.169.254/latest',
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().code).toBe('sns_subscribe_url_not_allowed');
    expect(snsRequests.length).toBe(before);

    const failing = await post({ ...confirmation, SubscribeURL: `${snsUrl}/fail?Token=${token}` });
    expect(failing.statusCode).toBe(502);
    expect(failing.json().code).toBe('sns_confirmation_failed');
  });

  it('rejects malformed events with 400 and stores nothing', async () => {
    const email = `${uniqueId('malformed')}@example.test`;
    const cases: unknown[] = [
      '{not json',
      { type: 'bounce' },
      { type: 'unsubscribe', email },
      { type: 'bounce', email: 'not-an-address' },
      { type: 'bounce', email, extra: true },
      { notificationType: 'Bounce', bounce: { bounceType: 'Permanent' } },
      snsNotification({ notificationType: 'Bounce' }),
      { ...snsNotification(bounce(email)), Message: '{broken' },
      {
        notificationType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'nobody' }] },
      },
    ];
    for (const body of cases) {
      const response = await post(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await entries(email)).toHaveLength(0);
  });

  it('never sends to a suppressed address: the outbox row is recorded as suppressed', async () => {
    const email = `${uniqueId('blocked')}@example.test`;
    await post({ type: 'bounce', email: email.toUpperCase() });
    const outbox = createOutbox({ publicUrl: ctx.config.PUBLIC_URL, from: ctx.config.MAIL_FROM });
    const { id } = await outbox.enqueue(ctx.deps.db, {
      to: email,
      template: 'password-changed',
      locale: 'en',
      data: {},
    });
    const result = await deliverPendingMail(ctx);
    expect(result.suppressed).toBeGreaterThanOrEqual(1);
    const row = await ctx.deps.db.mailOutbox.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'suppressed', sentAt: null });
    expect(await ctx.mailbox.messagesTo(email)).toHaveLength(0);
  });
});
