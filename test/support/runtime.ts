import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../../app/config';
import { startRuntime, type Runtime } from '../../app/runtime';
import { startFakeTwilio, type FakeTwilio } from './fake-twilio';
import { temporalAddress, testDatabaseUrl } from './env';
import type { WebhookTarget } from './whatsapp';

export const TEST_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
/** One key for the whole run: every stack shares the test database and its seeded, encrypted rows. */
export const TEST_PII_KEY = Buffer.alloc(32, 7).toString('base64');
export const TEST_AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
/** Twilio calls a public URL; the app behind the proxy must validate against it. */
export const TEST_PUBLIC_BASE_URL = 'https://lapor.probolinggokab.example';

export interface TestStack {
  runtime: Runtime;
  twilio: FakeTwilio;
  target: WebhookTarget;
  stop(): Promise<void>;
}

/**
 * The whole service as `npm start` builds it, on the test PostgreSQL database and Temporal dev
 * server, with the real twilio SDK pointed at the fake Twilio server. Each stack has its own task
 * queue so test files never take each other's work.
 */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const twilio = await startFakeTwilio({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
  const config = loadConfig({
    DATABASE_URL: testDatabaseUrl(),
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_API_BASE_URL: twilio.url,
    PUBLIC_BASE_URL: TEST_PUBLIC_BASE_URL,
    PII_ENCRYPTION_KEY: TEST_PII_KEY,
    PORT: '0',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'lapor-kand4-test-')),
    LOG_LEVEL: 'silent',
    // The fake Twilio serves Open311 evidence from 127.0.0.1.
    OPEN311_MEDIA_ALLOW_PRIVATE_HOSTS: 'true',
    ...env,
  });
  const runtime = await startRuntime(config, pino({ level: 'silent' }));
  return {
    runtime,
    twilio,
    target: { url: runtime.url!, publicBaseUrl: TEST_PUBLIC_BASE_URL, authToken: TEST_AUTH_TOKEN },
    async stop() {
      await runtime.stop();
      await twilio.stop();
    },
  };
}
