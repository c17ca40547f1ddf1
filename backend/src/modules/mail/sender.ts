import type { Database } from '../../db/client.js';
import type { Mailer } from '../../lib/mailer.js';
import { isSuppressed, suppressAddress } from './suppression.js';

export interface SenderOptions {
  db: Database;
  mailer: Mailer;
  /** Attempts before a row is dead-lettered (`failed`). */
  maxAttempts: number;
  /** Delay after the first failed attempt; doubles with every further one. */
  retryBaseMs: number;
  retryMaxMs?: number;
  /** How long a claimed row belongs to one sender; longer than any single SMTP send can take. */
  leaseMs?: number;
  /** Rows claimed, and sent concurrently, per pass. */
  batchSize?: number;
  log?: {
    info(object: object, message: string): void;
    warn(object: object, message: string): void;
  };
  /** Told how every delivery attempt ended (the worker counts them for its metrics). */
  onOutcome?: (outcome: Outcome) => void;
}

export interface PassResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  rejected: number;
  suppressed: number;
}

interface ClaimedRow {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  attempts: number;
}

export type Outcome = 'sent' | 'retried' | 'failed' | 'rejected' | 'suppressed';

interface SmtpError {
  message?: string;
  code?: string;
  command?: string;
  responseCode?: number;
}

/** A 5xx answer to RCPT TO: the relay says this recipient will never accept mail. */
export function isPermanentRecipientRejection(error: unknown): boolean {
  const { responseCode, command } = (error ?? {}) as SmtpError;
  return (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600 &&
    command === 'RCPT TO'
  );
}

function describe(error: unknown): string {
  const { message, code, responseCode } = (error ?? {}) as SmtpError;
  const parts = [code, responseCode, message ?? String(error)].filter(Boolean);
  return parts.join(' ').slice(0, 1000);
}

/** Delay before attempt `attempts + 1`, after `attempts` failed ones: base · 2^(attempts-1). */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends what the outbox holds. A pass claims due rows with FOR UPDATE SKIP LOCKED and leases
 * them, so any number of workers share the outbox without sending a row twice; a row leased by a
 * worker that died is claimed again once its lease runs out. Each email carries its row's
 * deterministic Message-ID, and a row is marked sent with a guarded update, exactly once.
 */
export function createMailSender(options: SenderOptions) {
  const {
    db,
    mailer,
    maxAttempts,
    retryBaseMs,
    retryMaxMs = 6 * 3600_000,
    leaseMs = 5 * 60_000,
    batchSize = 5,
    log,
    onOutcome,
  } = options;

  async function claim(): Promise<ClaimedRow[]> {
    // A lease that ran out on the last allowed attempt means the sender died mid-send each time.
    await db.$executeRaw`
      UPDATE mail_outbox
      SET status = 'failed', locked_until = NULL, updated_at = now(),
          last_error = coalesce(last_error, 'the sender stopped while sending')
      WHERE status = 'sending' AND locked_until < now() AND attempts >= ${maxAttempts}`;
    return db.$queryRaw<ClaimedRow[]>`
      WITH due AS (
        SELECT id FROM mail_outbox
        WHERE (status = 'pending' AND next_attempt_at <= now())
           OR (status = 'sending' AND locked_until < now())
        ORDER BY next_attempt_at, id
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE mail_outbox AS row
      SET status = 'sending', attempts = row.attempts + 1, updated_at = now(),
          locked_until = now() + make_interval(secs => ${leaseMs / 1000})
      FROM due
      WHERE row.id = due.id
      RETURNING row.id, row."to", row."from", row.subject, row.text, row.html,
                row.message_id AS "messageId", row.headers, row.attempts`;
  }

  async function finish(
    id: string,
    status: 'sent' | 'failed' | 'rejected' | 'suppressed',
    lastError: string | null,
  ) {
    await db.mailOutbox.updateMany({
      where: { id, status: 'sending' },
      data: {
        status,
        lockedUntil: null,
        lastError,
        ...(status === 'sent' ? { sentAt: new Date() } : {}),
      },
    });
  }

  async function deliver(row: ClaimedRow): Promise<Outcome> {
    if (await isSuppressed(db, row.to)) {
      await finish(row.id, 'suppressed', 'the address is on the suppression list');
      return 'suppressed';
    }
    try {
      await mailer.sendMail({
        from: row.from,
        to: row.to,
        subject: row.subject,
        text: row.text,
        html: row.html,
        messageId: row.messageId,
        headers: row.headers,
      });
    } catch (error) {
      const reason = describe(error);
      if (isPermanentRecipientRejection(error)) {
        await db.$transaction(async (tx) => {
          await suppressAddress(tx, { email: row.to, reason: 'smtp_rejection', detail: reason });
          await tx.mailOutbox.updateMany({
            where: { id: row.id, status: 'sending' },
            data: { status: 'rejected', lockedUntil: null, lastError: reason },
          });
        });
        return 'rejected';
      }
      if (row.attempts >= maxAttempts) {
        await finish(row.id, 'failed', reason);
        return 'failed';
      }
      const delay = retryDelayMs(row.attempts, retryBaseMs, retryMaxMs);
      await db.$executeRaw`
        UPDATE mail_outbox
        SET status = 'pending', locked_until = NULL, last_error = ${reason}, updated_at = now(),
            next_attempt_at = now() + make_interval(secs => ${delay / 1000})
        WHERE id = ${row.id}::uuid AND status = 'sending'`;
      return 'retried';
    }
    await finish(row.id, 'sent', null);
    return 'sent';
  }

  /** One pass: claims up to `batchSize` due rows and settles each of them. */
  async function runPass(): Promise<PassResult> {
    const rows = await claim();
    const result: PassResult = {
      claimed: rows.length,
      sent: 0,
      retried: 0,
      failed: 0,
      rejected: 0,
      suppressed: 0,
    };
    const outcomes = await Promise.all(rows.map(deliver));
    outcomes.forEach((outcome, index) => {
      result[outcome] += 1;
      onOutcome?.(outcome);
      const row = rows[index];
      if (outcome !== 'sent' && row) {
        log?.warn({ outboxId: row.id, attempts: row.attempts, outcome }, 'email not sent');
      }
    });
    if (result.sent > 0) log?.info({ sent: result.sent }, 'emails sent');
    return result;
  }

  /** Passes until nothing is due right now; returns the totals. */
  async function drain(): Promise<PassResult> {
    const total: PassResult = {
      claimed: 0,
      sent: 0,
      retried: 0,
      failed: 0,
      rejected: 0,
      suppressed: 0,
    };
    for (;;) {
      const pass = await runPass();
      for (const key of Object.keys(total) as (keyof PassResult)[]) total[key] += pass[key];
      if (pass.claimed < batchSize) return total;
    }
  }

  return { runPass, drain };
}

export type MailSender = ReturnType<typeof createMailSender>;
