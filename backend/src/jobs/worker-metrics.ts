import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/client.js';
import type { Outcome as MailOutcome } from '../modules/mail/sender.js';
import { registerWebhookDeliveriesGauge } from '../modules/webhooks/metrics.js';

/** What the worker process exports on WORKER_METRICS_PORT (the API has its own on METRICS_PORT). */
export interface WorkerMetrics {
  registry: Registry;
  /** One per delivery attempt of an outbox email, by how it ended. */
  mailDelivered(outcome: MailOutcome): void;
  /** Seconds between the moment a reminder was meant to fire and the moment it did. */
  reminderFired(kind: string, lagSeconds: number): void;
}

export function createWorkerMetrics(db: Database): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerWebhookDeliveriesGauge(registry, db);
  const mail = new Counter({
    name: 'mail_outbox_deliveries_total',
    help: 'Outbox email delivery attempts by outcome (sent, retried, failed, rejected, suppressed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const reminderLag = new Histogram({
    name: 'reminder_lag_seconds',
    help: 'Delay from when a task reminder was due to fire to when it fired, by kind',
    labelNames: ['kind'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600],
    registers: [registry],
  });
  return {
    registry,
    mailDelivered: (outcome) => mail.inc({ outcome }),
    reminderFired: (kind, lagSeconds) => reminderLag.observe({ kind }, lagSeconds),
  };
}
