import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/connect';
import * as statsRepo from '../db/repositories/stats';
import { OPEN_STATUSES } from '../domain/report';

/** Paths under /webhooks. */
const WEBHOOK_ROUTES = ['/twilio/whatsapp', '/twilio/status'];

export interface Metrics {
  registry: Registry;
  /** Counts and times Twilio's webhook calls by route and answer. */
  instrumentWebhook: RequestHandler;
}

/**
 * Prometheus metrics. Webhook traffic is counted in this process; messages and open complaints are
 * read from the database at scrape time, so they are right whichever process sent or changed them.
 */
export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lapor_kand4_' });

  const webhookRequests = new Counter({
    name: 'lapor_kand4_webhook_requests_total',
    help: 'Twilio webhook calls by route and HTTP status.',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const webhookDuration = new Histogram({
    name: 'lapor_kand4_webhook_duration_seconds',
    help: 'Time to answer a Twilio webhook call.',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  new Gauge({
    name: 'lapor_kand4_messages',
    help: 'WhatsApp messages by direction and status (sent, delivered, read, failed, undelivered, …).',
    labelNames: ['direction', 'status'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('messages')
        .select(['direction', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['direction', 'status'])
        .execute();
      this.reset();
      for (const row of rows) this.set({ direction: row.direction, status: row.status }, Number(row.n));
    },
  });
  // From the statistics summary (a few thousand rows), not a count over every complaint.
  new Gauge({
    name: 'lapor_kand4_open_complaints',
    help: 'Open complaints by status and escalation level.',
    labelNames: ['status', 'level'] as const,
    registers: [registry],
    async collect() {
      const { byStatusLevel } = await statsRepo.openComplaintCounts(db);
      this.reset();
      byStatusLevel.forEach((n, i) => {
        if (n > 0) this.set({ status: OPEN_STATUSES[Math.floor(i / 4)], level: String((i % 4) + 1) }, n);
      });
    },
  });
  new Gauge({
    name: 'lapor_kand4_overdue_complaints',
    help: 'Open complaints past a deadline, by escalation level.',
    labelNames: ['level'] as const,
    registers: [registry],
    async collect() {
      const { overdueByLevel } = await statsRepo.openComplaintCounts(db);
      this.reset();
      overdueByLevel.forEach((n, i) => {
        if (n > 0) this.set({ level: String(i + 1) }, n);
      });
    },
  });

  const instrumentWebhook: RequestHandler = (req, res, next) => {
    // A fixed set of labels: unknown paths must not grow the series without bound.
    const route = WEBHOOK_ROUTES.includes(req.path) ? req.path : 'other';
    const stop = webhookDuration.startTimer({ route });
    res.on('finish', () => {
      stop();
      webhookRequests.inc({ route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, instrumentWebhook };
}
