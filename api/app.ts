import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/connect';
import { HttpProblem, problemHandler, sendProblem } from './http/problem';
import type { Intake } from './intake';
import type { Metrics } from './metrics';
import { OPEN311_BASE, open311Router } from './open311';
import { statusWebhookRouter } from './status-webhook';
import { twilioWebhookRouter } from './twilio-webhook';
import { API_V1_BASE, apiV1Router } from './v1';
import type { ApiDeps } from './v1/deps';

export interface AppDeps {
  db: Db;
  intake: Intake;
  logger: Logger;
  twilioAuthToken: string;
  publicBaseUrl: string;
  api: ApiDeps;
  metrics: Metrics;
  /** Browser origins allowed to call the API; empty: CORS stays closed. */
  corsAllowedOrigins: readonly string[];
  authFailureLimit: number;
  /** Express 'trust proxy'; never `true`, which would let any client fake its address. */
  trustProxy: string | number;
}

/** The HTTP face of LAPOR KAND4: Twilio's webhooks, the admin API, Open311 and operations. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(helmet());
  if (deps.corsAllowedOrigins.length > 0) app.use(cors({ origin: [...deps.corsAllowedOrigins], maxAge: 600 }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await readiness(deps.db, deps.api.temporal);
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });

  app.use('/webhooks', deps.metrics.instrumentWebhook);
  app.use(twilioWebhookRouter({ intake: deps.intake, authToken: deps.twilioAuthToken, publicBaseUrl: deps.publicBaseUrl }));
  app.use(statusWebhookRouter({ db: deps.db, logger: deps.logger, authToken: deps.twilioAuthToken, publicBaseUrl: deps.publicBaseUrl }));
  app.use(API_V1_BASE, apiV1Router(deps.api, { authFailureLimit: deps.authFailureLimit }));
  app.use(OPEN311_BASE, open311Router(deps.api, { authFailureLimit: deps.authFailureLimit }));

  app.use((_req, res) => sendProblem(res, new HttpProblem(404)));
  app.use(problemHandler(deps.logger));
  return app;
}

type Check = 'ok' | string;

/** Database reachable, Temporal reachable, and a worker polling the task queue. */
async function readiness(db: Db, temporal: ApiDeps['temporal']): Promise<{ database: Check; temporal: Check; worker: Check }> {
  const withTimeout = <T>(promise: Promise<T>) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), 2000).unref())]);
  const database = await withTimeout(sql`select 1`.execute(db)).then(
    () => 'ok',
    () => 'unreachable',
  );
  let temporalCheck: Check = 'ok';
  let worker: Check = 'ok';
  try {
    const queue = await withTimeout(
      temporal.client.workflowService.describeTaskQueue({
        namespace: temporal.namespace,
        taskQueue: { name: temporal.taskQueue },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      }),
    );
    if ((queue.pollers ?? []).length === 0) worker = 'no worker polling';
  } catch {
    temporalCheck = 'unreachable';
    worker = 'unknown';
  }
  return { database, temporal: temporalCheck, worker };
}
