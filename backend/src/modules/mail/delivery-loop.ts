import { startWakeLoop, type WakeLoop, type WakeLoopOptions } from '../../lib/wake-loop.js';
import { MAIL_OUTBOX_CHANNEL } from './outbox.js';
import type { MailSender } from './sender.js';

export interface DeliveryLoopOptions
  extends Pick<WakeLoopOptions, 'databaseUrl' | 'pollIntervalMs' | 'reconnectDelayMs' | 'log'> {
  sender: MailSender;
}

/**
 * Runs the sender whenever an outbox row is committed (LISTEN/NOTIFY, so mail leaves within
 * moments) and every `pollIntervalMs` (retries that fall due). Several workers share the outbox
 * safely through the sender's row claims.
 */
export function startDeliveryLoop({ sender, ...options }: DeliveryLoopOptions): WakeLoop {
  return startWakeLoop({
    ...options,
    name: 'mail delivery',
    channel: MAIL_OUTBOX_CHANNEL,
    run: () => sender.drain().then(() => undefined),
  });
}
