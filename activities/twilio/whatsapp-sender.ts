// Outgoing WhatsApp messages. Two implementations behind one interface: the real Twilio API,
// and a sandbox that only logs (for local runs and demos where nothing may reach citizens).
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import twilio from 'twilio';
import { RebasingRequestClient } from './rebasing-request-client';
import { maskPhone } from '../../domain/masking';

/** Never log a full phone number. */
export { maskPhone };

export interface OutgoingWhatsApp {
  /** 'whatsapp:+62...' */
  to: string;
  body?: string;
  /** An approved Content Template; required by WhatsApp outside the 24-hour session window. */
  contentSid?: string;
  contentVariables?: Record<string, string>;
  mediaUrls?: string[];
  statusCallback?: string;
}

export interface SentWhatsApp {
  sid: string;
  status: string;
}

/** What identifies an earlier send: its free-form body, or the template it used. */
export type SentMatch = { body: string } | { contentSid: string };

export interface WhatsAppSender {
  readonly mode: 'twilio' | 'sandbox';
  send(msg: OutgoingWhatsApp): Promise<SentWhatsApp>;
  /**
   * Messages already sent to `to` (a 'whatsapp:' address) since `since` that may be this one,
   * oldest first: for a send whose answer was lost (a crash or timeout after Twilio accepted it).
   * Absent where nothing can have gone out twice (the sandbox).
   */
  findSent?(to: string, since: Date, match: SentMatch): Promise<SentWhatsApp[]>;
}

/**
 * A send that will fail the same way however often it is retried (bad number, blocked or
 * unsubscribed recipient, bad credentials). Activities map this name to a non-retryable failure.
 */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';

  constructor(
    message: string,
    /** Twilio error code, e.g. 21211; absent when the message was rejected before reaching Twilio. */
    readonly code?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface SendErrorClass {
  permanent: boolean;
  code?: number;
  status?: number;
}

/** HTTP statuses on which Twilio's answer will not change on retry; 429 and 5xx are worth retrying. */
const PERMANENT_HTTP_STATUSES = new Set([400, 401, 403, 404]);

export function classifySendError(err: unknown): SendErrorClass {
  if (err instanceof PermanentSendError) return { permanent: true, code: err.code, status: err.status };
  const fields = twilioErrorFields(err);
  if (!fields) return { permanent: false }; // network error, timeout, anything unknown
  return { permanent: PERMANENT_HTTP_STATUSES.has(fields.status), ...fields };
}

/**
 * Status and code of an error answered by the Twilio API. Duck-typed because the SDK throws
 * either RestException or (for RFC 9457 bodies) TwilioServiceException, and only the former is
 * exported. Network failures (AxiosError) carry no numeric status, since the SDK's client
 * accepts every HTTP status.
 */
function twilioErrorFields(err: unknown): { status: number; code?: number } | null {
  if (!(err instanceof Error)) return null;
  const { status, code } = err as { status?: unknown; code?: unknown };
  if (typeof status !== 'number') return null;
  return typeof code === 'number' && code !== 0 ? { status, code } : { status };
}

/**
 * Twilio echoes the recipient in its messages ("The 'To' number +62812... is not a valid phone
 * number"); error messages end up in Temporal history and logs, so runs of 6+ digits (allowing
 * single separators, as in '+62 812-3456-7890') are removed. Twilio error codes have 5 digits.
 */
export function scrubDigits(text: string): string {
  return text.replace(/\+?(?:\d[\s().-]?){5,}\d/g, '[redacted]');
}

/**
 * Without the 'whatsapp:' prefix Twilio would deliver the text as an SMS instead: a different,
 * paid channel the citizen never used with us. And a message with nothing in it is a bug upstream.
 */
function assertSendable(msg: OutgoingWhatsApp): void {
  if (!/^whatsapp:\+\d{6,15}$/.test(msg.to)) {
    throw new PermanentSendError("recipient must be a 'whatsapp:+<digits>' address");
  }
  if (!msg.body && !msg.contentSid && !msg.mediaUrls?.length) {
    throw new PermanentSendError('message has no body, contentSid or media');
  }
}

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** Our WhatsApp sender, 'whatsapp:+62...'. */
  from: string;
  /** Send API calls here instead of https://api.twilio.com (local fake, recording proxy). */
  apiBaseUrl?: string;
}

export function createTwilioSender(opts: TwilioSenderOptions): WhatsAppSender {
  const client = twilio(
    opts.accountSid,
    opts.authToken,
    opts.apiBaseUrl ? { httpClient: new RebasingRequestClient(opts.apiBaseUrl) } : {},
  );

  return {
    mode: 'twilio',
    async send(msg) {
      assertSendable(msg);
      try {
        const message = await client.messages.create({
          from: opts.from,
          to: msg.to,
          body: msg.body,
          contentSid: msg.contentSid,
          contentVariables: msg.contentVariables ? JSON.stringify(msg.contentVariables) : undefined,
          mediaUrl: msg.mediaUrls,
          statusCallback: msg.statusCallback,
        });
        return { sid: message.sid, status: message.status };
      } catch (err) {
        throw toSendError(err);
      }
    },

    async findSent(to, since, match) {
      try {
        const messages = await client.messages.list({ to, dateSentAfter: since, limit: 50 });
        return messages
          .filter((m) => m.direction !== 'inbound' && m.from === opts.from)
          // Twilio's message resource does not say which template it came from, only the text it
          // rendered: a template send is matched by recipient and time, and the caller skips the
          // SIDs it already knows.
          .filter((m) => !('body' in match) || m.body === match.body)
          .sort((a, b) => sentAt(a) - sentAt(b))
          .map((m) => ({ sid: m.sid, status: m.status }));
      } catch (err) {
        throw toSendError(err);
      }
    },
  };
}

function sentAt(m: { dateSent: Date | null; dateCreated: Date }): number {
  return (m.dateSent ?? m.dateCreated).getTime();
}

/**
 * Rebuilds the error from scratch rather than wrapping it: the SDK's errors (AxiosError in
 * particular) hold the request config, i.e. the form body with the recipient's number and the
 * Authorization header, and a `cause` would carry them into Temporal failure details.
 */
function toSendError(err: unknown): Error {
  const { permanent, code, status } = classifySendError(err);
  const detail = err instanceof Error ? ((err as { detail?: string }).detail ?? err.message) : String(err);
  const origin = status === undefined ? 'network' : code === undefined ? `HTTP ${status}` : `HTTP ${status}, code ${code}`;
  const message = scrubDigits(`Twilio send failed (${origin}): ${detail}`);
  return permanent ? new PermanentSendError(message, code, status) : new Error(message);
}

export interface SandboxSenderOptions {
  from: string;
  logger: Logger;
}

/** Sends nothing: logs what would have gone out, with the numbers masked. */
export function createSandboxSender(opts: SandboxSenderOptions): WhatsAppSender {
  return {
    mode: 'sandbox',
    async send(msg) {
      assertSendable(msg);
      const sid = `SBX${randomBytes(16).toString('hex')}`;
      opts.logger.info(
        {
          sid,
          from: maskPhone(opts.from),
          to: maskPhone(msg.to),
          body: msg.body,
          contentSid: msg.contentSid,
          contentVariables: msg.contentVariables,
          mediaCount: msg.mediaUrls?.length ?? 0,
        },
        'sandbox: WhatsApp message not sent',
      );
      return { sid, status: 'sandbox' };
    },
  };
}
