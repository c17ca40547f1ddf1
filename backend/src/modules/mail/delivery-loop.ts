import pg from 'pg';
import { MAIL_OUTBOX_CHANNEL } from './outbox.js';
import type { MailSender } from './sender.js';

export interface DeliveryLoopOptions {
  sender: MailSender;
  /** The loop LISTENs on its own connection for commits of new outbox rows. */
  databaseUrl: string;
  /** Polling catches retries that fall due and notifications missed while reconnecting. */
  pollIntervalMs?: number;
  reconnectDelayMs?: number;
  log: {
    info(object: object, message: string): void;
    error(object: object, message: string): void;
  };
}

/**
 * Runs the sender whenever an outbox row is committed (LISTEN/NOTIFY, so mail leaves within
 * moments) and every `pollIntervalMs`. Passes never overlap within one worker; several workers
 * share the outbox safely through the sender's row claims.
 */
export function startDeliveryLoop({
  sender,
  databaseUrl,
  pollIntervalMs = 5000,
  reconnectDelayMs = 5000,
  log,
}: DeliveryLoopOptions) {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let listener: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | undefined;

  async function drainAll(): Promise<void> {
    do {
      again = false;
      try {
        await sender.drain();
      } catch (error) {
        log.error({ err: error }, 'mail delivery pass failed');
      }
    } while (again && !stopped);
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drainAll().finally(() => {
      running = null;
    });
  }

  async function listen(): Promise<void> {
    if (stopped) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    const retry = () => {
      if (listener !== client || stopped) return;
      listener = null;
      client.end().catch(() => undefined);
      reconnectTimer = setTimeout(() => void listen(), reconnectDelayMs);
    };
    client.on('error', (error) => {
      log.error({ err: error }, 'mail outbox listener lost its connection');
      retry();
    });
    client.on('end', retry);
    client.on('notification', kick);
    listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${MAIL_OUTBOX_CHANNEL}`);
      // Rows committed while the listener was away are due now.
      kick();
    } catch (error) {
      log.error({ err: error }, 'mail outbox listener cannot connect');
      retry();
    }
  }

  const poll = setInterval(kick, pollIntervalMs);
  void listen();
  kick();

  return {
    /** Lets a running pass finish, so no row is left leased by a stopped worker. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(poll);
      clearTimeout(reconnectTimer);
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await running;
    },
  };
}
