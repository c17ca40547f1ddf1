import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../../db/client.js';

const STATUSES = ['pending', 'succeeded', 'failed'] as const;

/**
 * Webhook deliveries by status, read from the table at scrape time: the worker sends and every
 * process (API replicas and the worker) reports the same figures.
 */
export function registerWebhookDeliveriesGauge(registry: Registry, db: Database): void {
  new Gauge({
    name: 'webhook_deliveries',
    help: 'Webhook deliveries by status (pending, succeeded, failed = dead-lettered or 410)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.webhookDelivery.groupBy({ by: ['status'], _count: { _all: true } });
      for (const status of STATUSES) {
        this.set({ status }, rows.find((row) => row.status === status)?._count._all ?? 0);
      }
    },
  });
}
