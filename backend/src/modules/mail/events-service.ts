import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Database } from '../../db/client.js';
import { AppError, BadRequestError } from '../../lib/errors.js';
import { isEmailAddress } from './outbox.js';
import { type SuppressionReason, suppressAddress } from './suppression.js';

type Outcome = 'suppressed' | 'ignored' | 'subscription_confirmed';

export interface MailEventResult {
  outcome: Outcome;
  recipients: number;
  added: number;
}

const Recipients = Type.Array(Type.Object({ emailAddress: Type.String({ maxLength: 1000 }) }), {
  maxItems: 100,
});

/** The parts of an SES bounce / complaint notification that decide suppression. */
const SesNotification = Type.Object({
  notificationType: Type.Optional(Type.String()),
  eventType: Type.Optional(Type.String()),
  bounce: Type.Optional(
    Type.Object({
      bounceType: Type.String(),
      bounceSubType: Type.Optional(Type.String()),
      bouncedRecipients: Recipients,
    }),
  ),
  complaint: Type.Optional(
    Type.Object({
      complainedRecipients: Recipients,
      complaintFeedbackType: Type.Optional(Type.String()),
    }),
  ),
});

export interface MailEventsOptions {
  db: Database;
  /** SubscribeURLs that may be fetched; anything else is refused (no request to arbitrary hosts). */
  subscribeUrlPattern: RegExp;
  confirmTimeoutMs?: number;
}

/** `"Name" <user@example.com>` or `user@example.com` → `user@example.com`. */
function bareAddress(value: string): string {
  return (/<([^>]+)>/.exec(value)?.[1] ?? value).trim();
}

function invalid(message: string): BadRequestError {
  return new BadRequestError('invalid_mail_event', message);
}

/**
 * Bounce and complaint notifications (the SES → SNS → Lambda path of the source design). Every
 * handler is idempotent: the list keeps one entry per address, so a repeated notification adds
 * nothing.
 */
export function createMailEventsService({
  db,
  subscribeUrlPattern,
  confirmTimeoutMs = 10_000,
}: MailEventsOptions) {
  async function suppressAll(
    addresses: string[],
    reason: SuppressionReason,
    detail: string,
  ): Promise<MailEventResult> {
    const valid = [...new Set(addresses.map(bareAddress))].filter(isEmailAddress);
    if (valid.length === 0) throw invalid('The notification names no valid email address.');
    let added = 0;
    for (const email of valid) {
      if (await suppressAddress(db, { email, reason, detail })) added += 1;
    }
    return { outcome: 'suppressed', recipients: valid.length, added };
  }

  async function handleSes(message: unknown): Promise<MailEventResult> {
    if (!Value.Check(SesNotification, message)) {
      throw invalid('The SES notification is missing its bounce or complaint details.');
    }
    const kind = message.notificationType ?? message.eventType;
    if (kind === 'Bounce' && message.bounce) {
      const { bounceType, bounceSubType, bouncedRecipients } = message.bounce;
      // Transient and undetermined bounces may succeed later; only permanent ones suppress.
      if (bounceType !== 'Permanent') {
        return { outcome: 'ignored', recipients: bouncedRecipients.length, added: 0 };
      }
      const detail = `SES permanent bounce${bounceSubType ? ` (${bounceSubType})` : ''}`;
      return suppressAll(
        bouncedRecipients.map((recipient) => recipient.emailAddress),
        'bounce',
        detail,
      );
    }
    if (kind === 'Complaint' && message.complaint) {
      const { complainedRecipients, complaintFeedbackType } = message.complaint;
      const detail = `SES complaint${complaintFeedbackType ? ` (${complaintFeedbackType})` : ''}`;
      return suppressAll(
        complainedRecipients.map((recipient) => recipient.emailAddress),
        'complaint',
        detail,
      );
    }
    if (kind === 'Bounce' || kind === 'Complaint') {
      throw invalid(`The ${kind} notification has no ${kind.toLowerCase()} details.`);
    }
    return { outcome: 'ignored', recipients: 0, added: 0 };
  }

  async function confirmSubscription(subscribeUrl: string | undefined): Promise<MailEventResult> {
    if (!subscribeUrl) throw invalid('The subscription confirmation has no SubscribeURL.');
    if (!subscribeUrlPattern.test(subscribeUrl)) {
      throw new BadRequestError(
        'sns_subscribe_url_not_allowed',
        'The SubscribeURL is not an allowed SNS endpoint (see MAIL_SNS_CONFIRM_URL_PATTERN).',
      );
    }
    let status: number;
    try {
      const response = await fetch(subscribeUrl, {
        redirect: 'error',
        signal: AbortSignal.timeout(confirmTimeoutMs),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      throw new AppError(
        502,
        'sns_confirmation_failed',
        `Confirming the subscription failed: ${(error as Error).message}`,
      );
    }
    if (status < 200 || status > 299) {
      throw new AppError(
        502,
        'sns_confirmation_failed',
        `Confirming the subscription failed: SNS answered ${status}.`,
      );
    }
    return { outcome: 'subscription_confirmed', recipients: 0, added: 0 };
  }

  return {
    async handle(body: Record<string, unknown>): Promise<MailEventResult> {
      if (typeof body.Type === 'string') {
        const envelope = body as { Type: string; Message: string; SubscribeURL?: string };
        if (envelope.Type === 'SubscriptionConfirmation') {
          return confirmSubscription(envelope.SubscribeURL);
        }
        if (envelope.Type !== 'Notification')
          return { outcome: 'ignored', recipients: 0, added: 0 };
        let message: unknown;
        try {
          message = JSON.parse(envelope.Message);
        } catch {
          throw invalid('The SNS Message is not JSON.');
        }
        return handleSes(message);
      }
      if (typeof body.type === 'string') {
        const event = body as { type: 'bounce' | 'complaint'; email: string; reason?: string };
        return suppressAll([event.email], event.type, event.reason ?? `${event.type} reported`);
      }
      return handleSes(body);
    },
  };
}

export type MailEventsService = ReturnType<typeof createMailEventsService>;
