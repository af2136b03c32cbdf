import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { MediaStorage } from '../../activities/media/storage';
import type { PiiCrypto } from '../../app/pii-crypto';
import type { Db } from '../../db/connect';

/** What the admin API and Open311 work with; built once in app/runtime.ts. */
export interface ApiDeps {
  db: Db;
  crypto: PiiCrypto;
  temporal: { client: Client; taskQueue: string; namespace: string };
  /** Evidence files, as stored by the intake. */
  storage: MediaStorage;
  logger: Logger;
  clock: () => Date;
  /** Limits for evidence fetched from an Open311 media_url. */
  media: { maxBytes: number; allowPrivateHosts: boolean };
  /** The service's public URL (Open311 discovery). */
  publicBaseUrl: string;
}
