import type { Server } from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { createLocalMediaStorage } from '../activities/media/storage';
import { createMessenger } from '../activities/messaging';
import { createSandboxSender, createTwilioSender } from '../activities/twilio/whatsapp-sender';
import { createApp } from '../api/app';
import { createMetrics } from '../api/metrics';
import { STATUS_CALLBACK_PATH } from '../api/status-webhook';
import { createIntake, type Intake } from '../api/intake';
import type { ApiDeps } from '../api/v1/deps';
import { createDatabase, migrateToLatest, type Db } from '../db/connect';
import { seedPlaceholderOfficials } from '../db/seed';
import { createWorker } from '../worker';
import type { Config } from './config';
import { loadOrCreateLocalSecrets } from './local-secrets';
import { EncryptionCodec } from './payload-codec';
import { PiiCrypto } from './pii-crypto';
import { launchDevServer, type DevServer } from './temporal-dev-server';

export type Role = 'all' | 'api' | 'worker';

export interface Runtime {
  db: Db;
  crypto: PiiCrypto;
  client?: Client;
  intake?: Intake;
  /** What the admin API works with, when this process serves it. */
  apiDeps?: ApiDeps;
  /** The API's own URL when it listens. */
  url?: string;
  temporalAddress: string;
  stop(): Promise<void>;
}

const REDISPATCH_INTERVAL_MS = 10_000;

/** Builds and starts LAPOR KAND4 from its configuration: database, Temporal, worker and API. */
export async function startRuntime(
  config: Config,
  logger: Logger,
  options: { role?: Role; workflowBundle?: WorkerOptions['workflowBundle'] } = {},
): Promise<Runtime> {
  const role = options.role ?? 'all';
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((err) => logger.error({ err: { name: err?.name } }, 'Shutdown step failed'));
    stops.length = 0;
  };

  try {
    const localSecrets = !config.piiKey || !config.twilio ? loadOrCreateLocalSecrets(config.dataDir, logger) : undefined;
    const crypto = new PiiCrypto(config.piiKey ?? Buffer.from(localSecrets!.piiKey, 'base64'));
    const dataConverter: DataConverter = { payloadCodecs: [new EncryptionCodec(crypto.payloadKey)] };

    if (!config.databaseUrl) logger.warn({ dir: path.join(config.dataDir, 'pglite') }, 'DATABASE_URL not set: using the embedded PGlite database');
    const db = await createDatabase({ url: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pglite') });
    stops.push(() => db.destroy());
    await migrateToLatest(db);
    await seedPlaceholderOfficials(db, crypto);

    let temporalAddress = config.temporal.address;
    if (!temporalAddress) {
      const devServer: DevServer = await launchDevServer({ cliPath: config.temporal.cliPath, dataDir: config.dataDir, namespace: config.temporal.namespace, logger });
      stops.push(() => devServer.stop());
      temporalAddress = devServer.address;
    }

    const runtime: Runtime = { db, crypto, temporalAddress, stop };
    const mediaStorage = createLocalMediaStorage(path.join(config.dataDir, 'media'));
    const clock = () => new Date();
    const clientConnection = await Connection.connect({ address: temporalAddress });
    stops.push(() => clientConnection.close());
    const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter });
    runtime.client = client;

    if (role !== 'api') {
      if (!config.twilio) logger.warn('Twilio credentials not set: SANDBOX MODE, outgoing WhatsApp messages are recorded and logged, not sent');
      const sender = config.twilio
        ? createTwilioSender({ ...config.twilio, from: config.whatsappFrom })
        : createSandboxSender({ from: config.whatsappFrom, logger });
      const messenger = createMessenger({
        db,
        crypto,
        sender,
        clock,
        logger,
        templates: config.templates,
        statusCallbackUrl: `${config.publicBaseUrl}${STATUS_CALLBACK_PATH}`,
      });
      const activities = createActivities({
        db,
        crypto,
        temporal: { client, taskQueue: config.temporal.taskQueue },
        messenger,
        storage: mediaStorage,
        logger,
        clock,
        media: {
          maxBytes: config.mediaMaxBytes,
          credentials: config.twilio,
          apiBaseUrl: config.twilio?.apiBaseUrl,
        },
      });
      const connection = await NativeConnection.connect({ address: temporalAddress });
      stops.push(() => connection.close());
      const worker: Worker = await createWorker({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        activities,
        dataConverter,
        workflowBundle: options.workflowBundle,
      });
      const running = worker.run();
      stops.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      });
    }

    if (role !== 'worker') {
      const intake = createIntake({ db, crypto, temporal: client, taskQueue: config.temporal.taskQueue, logger });
      const apiDeps: ApiDeps = {
        db,
        crypto,
        temporal: { client, taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace },
        storage: mediaStorage,
        logger,
        clock,
        media: { maxBytes: config.mediaMaxBytes, allowPrivateHosts: config.api.open311MediaAllowPrivateHosts },
        publicBaseUrl: config.publicBaseUrl,
      };
      const app = createApp({
        db,
        intake,
        logger,
        twilioAuthToken: config.twilio?.authToken ?? localSecrets!.sandboxAuthToken,
        publicBaseUrl: config.publicBaseUrl,
        api: apiDeps,
        metrics: createMetrics(db),
        corsAllowedOrigins: config.api.corsAllowedOrigins,
        authFailureLimit: config.api.authFailureLimit,
        trustProxy: config.api.trustProxy,
      });
      const server: Server = await new Promise((resolve, reject) => {
        const s = app.listen(config.port, () => resolve(s));
        s.once('error', reject);
      });
      stops.push(async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await intake.drain();
      });
      const timer = setInterval(() => {
        intake.redispatchPending().catch((err) => logger.error({ err: { name: err?.name } }, 'Redispatch sweep failed'));
      }, REDISPATCH_INTERVAL_MS);
      stops.push(async () => clearInterval(timer));
      const port = (server.address() as { port: number }).port;
      Object.assign(runtime, { intake, apiDeps, url: `http://127.0.0.1:${port}` });
      logger.info({ port, publicBaseUrl: config.publicBaseUrl }, 'LAPOR KAND4 API listening');
    }
    return runtime;
  } catch (err) {
    await stop();
    throw err;
  }
}
