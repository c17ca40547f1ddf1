import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { TemplateData, TemplateName } from './templates/catalog.js';
import type { Locale } from './templates/layout.js';
import { MailTemplateError, renderTemplate } from './templates/render.js';

/** Committed outbox rows raise this notification so a listening worker sends them at once. */
export const MAIL_OUTBOX_CHANNEL = 'homeport_mail_outbox';

/** A Prisma client or the transaction client of `db.$transaction(async (tx) => …)`. */
export type DatabaseClient = Prisma.TransactionClient | Database;

export interface EnqueueInput<Name extends TemplateName> {
  to: string;
  template: Name;
  locale: Locale;
  data: TemplateData<Name>;
  /** The account the email concerns, when there is one (kept for support and clean-up). */
  userId?: string;
  /** Extra headers, e.g. RFC 8058 `List-Unsubscribe`; names and values of one line each. */
  headers?: Record<string, string>;
}

const HEADER_NAME = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;

// One address, no display name, nothing that could split or extend a header.
const ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

/** `Name <user@example.com>` or `user@example.com` → `example.com`. */
export function domainOf(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.split('@').at(-1)?.trim().toLowerCase();
  return domain && /^[a-z0-9.-]+$/.test(domain) ? domain : 'localhost';
}

export interface OutboxOptions {
  /** PUBLIC_URL: the origin every link in every email starts with. */
  publicUrl: string;
  /** MAIL_FROM, recorded on each row so a later change does not alter mail already queued. */
  from: string;
}

/**
 * The SES `SendEmail` equivalent, transactional: `enqueue` writes the rendered email as a row in
 * the caller's transaction. If that transaction rolls back, no email exists; once it commits, the
 * worker's sender delivers it.
 */
export function createOutbox({ publicUrl, from }: OutboxOptions) {
  const messageIdDomain = domainOf(from);

  return {
    async enqueue<Name extends TemplateName>(
      tx: DatabaseClient,
      input: EnqueueInput<Name>,
    ): Promise<{ id: string }> {
      if (!isEmailAddress(input.to)) {
        throw new MailTemplateError('the recipient is not a single email address');
      }
      const headers = input.headers ?? {};
      for (const [name, value] of Object.entries(headers)) {
        if (!HEADER_NAME.test(name) || /[\r\n]/.test(value)) {
          throw new MailTemplateError(`the header "${name}" cannot be sent`);
        }
      }
      const rendered = renderTemplate(publicUrl, input);
      const id = randomUUID();
      await tx.mailOutbox.create({
        data: {
          id,
          to: input.to,
          from,
          template: input.template,
          locale: input.locale,
          ...rendered,
          messageId: `<${id}@${messageIdDomain}>`,
          userId: input.userId ?? null,
          headers,
        },
      });
      // Delivered to listeners only when the transaction commits, never for a rollback.
      await tx.$executeRawUnsafe(`NOTIFY ${MAIL_OUTBOX_CHANNEL}`);
      return { id };
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
