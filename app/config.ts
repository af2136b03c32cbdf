import { z } from 'zod';
import { MESSAGE_KINDS, type MessageKind } from '../activities/messaging';

/**
 * Configuration, parsed once at start-up and frozen. Every variable is documented in README.
 * A missing or malformed variable stops the process with a message that names it.
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const optionalUrl = optionalString.pipe(z.url().optional());

/** '{"reminder":"HX…","escalation":"HX…"}': the approved Content template of each message kind. */
const contentSids = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of message kind to Content SID' });
      return z.NEVER;
    }
  })
  .pipe(z.partialRecord(z.enum(MESSAGE_KINDS), z.string().regex(/^HX[0-9a-f]{32}$/, 'must be HX followed by 32 lowercase hex characters')));

const envSchema = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  TEMPORAL_ADDRESS: optionalString.pipe(
    z
      .string()
      .regex(/^[\w.-]+:\d+$/, 'must be host:port')
      .optional(),
  ),
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('lapor-kand4'),
  TEMPORAL_CLI_PATH: optionalString,
  TWILIO_ACCOUNT_SID: optionalString.pipe(
    z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex characters')
      .optional(),
  ),
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_WHATSAPP_FROM: z
    .string()
    .trim()
    .regex(/^whatsapp:\+[1-9]\d{6,14}$/, 'must look like whatsapp:+6282131001001')
    .default('whatsapp:+6282131001001'),
  TWILIO_API_BASE_URL: optionalUrl,
  TWILIO_CONTENT_SIDS: optionalString.pipe(contentSids.optional()),
  PUBLIC_BASE_URL: optionalUrl,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PII_ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  MEDIA_MAX_BYTES: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ALLOWED_ORIGINS: optionalString.pipe(
    z
      .string()
      .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
      .pipe(z.array(z.url().regex(/^https?:\/\/[^/]+$/, 'must be origins like https://dasbor.probolinggokab.go.id, comma-separated')))
      .optional(),
  ),
  API_AUTH_FAILURE_LIMIT: z.coerce.number().int().positive().default(20),
  TRUST_PROXY: z
    .string()
    .trim()
    .default('loopback')
    .refine((v) => v !== 'true', 'must name the proxies (e.g. loopback, 10.0.0.0/8) or count them (1): trusting every hop lets anyone fake their address')
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : v)),
  OPEN311_MEDIA_ALLOW_PRIVATE_HOSTS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export interface Config {
  readonly port: number;
  readonly publicBaseUrl: string;
  readonly dataDir: string;
  readonly logLevel: string;
  /** Unset: the embedded PGlite database under dataDir. */
  readonly databaseUrl?: string;
  readonly temporal: {
    /** Unset: a local dev server is launched. */
    readonly address?: string;
    readonly namespace: string;
    readonly taskQueue: string;
    readonly cliPath?: string;
  };
  /** Unset: sandbox mode, outgoing messages are logged and recorded, not sent. */
  readonly twilio?: {
    readonly accountSid: string;
    readonly authToken: string;
    readonly apiBaseUrl?: string;
  };
  readonly whatsappFrom: string;
  /**
   * Approved WhatsApp Content templates by message kind, for messages outside the 24-hour session
   * window (in sandbox mode they are rendered locally). Empty: such messages go free-form.
   */
  readonly templates: Readonly<Partial<Record<MessageKind, string>>>;
  /** Unset: generated once under dataDir. */
  readonly piiKey?: Buffer;
  readonly mediaMaxBytes: number;
  readonly api: {
    /** Browser origins allowed to call the API; empty: CORS closed. */
    readonly corsAllowedOrigins: readonly string[];
    /** Failed authentications per address and 15 minutes before 429. */
    readonly authFailureLimit: number;
    /** Express 'trust proxy': which reverse proxies may tell the client's address (rate limits use it). */
    readonly trustProxy: string | number;
    /** Lets Open311 media_url point at private or loopback hosts: for tests and local trials only. */
    readonly open311MediaAllowPrivateHosts: boolean;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (Boolean(e.TWILIO_ACCOUNT_SID) !== Boolean(e.TWILIO_AUTH_TOKEN)) {
    const missing = e.TWILIO_ACCOUNT_SID ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID';
    throw new ConfigError(`Invalid configuration:\n  ${missing}: required when the other Twilio credential is set`);
  }
  const config: Config = {
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
    },
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
        ? { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, apiBaseUrl: e.TWILIO_API_BASE_URL }
        : undefined,
    whatsappFrom: e.TWILIO_WHATSAPP_FROM,
    templates: e.TWILIO_CONTENT_SIDS ?? {},
    piiKey: e.PII_ENCRYPTION_KEY ? Buffer.from(e.PII_ENCRYPTION_KEY, 'base64') : undefined,
    mediaMaxBytes: e.MEDIA_MAX_BYTES,
    api: {
      corsAllowedOrigins: e.CORS_ALLOWED_ORIGINS ?? [],
      authFailureLimit: e.API_AUTH_FAILURE_LIMIT,
      trustProxy: e.TRUST_PROXY,
      open311MediaAllowPrivateHosts: e.OPEN311_MEDIA_ALLOW_PRIVATE_HOSTS,
    },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
