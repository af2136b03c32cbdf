import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * Secrets a local run needs when none are configured, generated once under the data folder.
 * Production sets PII_ENCRYPTION_KEY and the Twilio credentials instead.
 */
export interface LocalSecrets {
  piiKey: string;
  /** Signs webhooks in sandbox mode, where there is no Twilio auth token. */
  sandboxAuthToken: string;
}

export function loadOrCreateLocalSecrets(dataDir: string, logger: Logger): LocalSecrets {
  const file = path.join(dataDir, 'local-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: LocalSecrets = {
    piiKey: randomBytes(32).toString('base64'),
    sandboxAuthToken: randomBytes(16).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  logger.warn({ file }, 'Generated local secrets (PII key, sandbox webhook token). Production must set PII_ENCRYPTION_KEY.');
  return secrets;
}
