import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../db/connect';
import type { Intake } from './intake';
import { statusWebhookRouter } from './status-webhook';
import { twilioWebhookRouter } from './twilio-webhook';

export interface AppDeps {
  db: Db;
  intake: Intake;
  logger: Logger;
  twilioAuthToken: string;
  publicBaseUrl: string;
}

/** The HTTP face of LAPOR KAND4: Twilio's webhooks now, the admin API later. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(twilioWebhookRouter({ intake: deps.intake, authToken: deps.twilioAuthToken, publicBaseUrl: deps.publicBaseUrl }));
  app.use(statusWebhookRouter({ db: deps.db, logger: deps.logger, authToken: deps.twilioAuthToken, publicBaseUrl: deps.publicBaseUrl }));

  app.use((_req, res) => {
    res.status(404).type('application/problem+json').json({ type: 'about:blank', title: 'Not Found', status: 404 });
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) deps.logger.error({ err: { name: err?.name }, path: req.path }, 'Request failed');
    res.status(status).type('application/problem+json').json({
      type: 'about:blank',
      title: status >= 500 ? 'Internal Server Error' : 'Bad Request',
      status,
    });
  };
  app.use(onError);
  return app;
}
