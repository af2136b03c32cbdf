// Every outgoing WhatsApp message goes through here: recorded before it is sent, sent at most
// once per idempotency key (even when an attempt dies after Twilio accepted it), and sent the way
// WhatsApp allows — free-form inside the 24-hour session window that the recipient's last message
// opened, an approved Content template outside it.
import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from 'pino';
import { normalisePhone, type PiiCrypto } from '../app/pii-crypto';
import type { Db } from '../db/connect';
import * as messagesRepo from '../db/repositories/messages';
import type { Message } from '../db/schema';
import { splitForWhatsApp } from '../domain/whatsapp-text';
import { PermanentSendError, type OutgoingWhatsApp, type SentMatch, type WhatsAppSender } from './twilio/whatsapp-sender';

export const MESSAGE_KINDS = ['reply', 'receipt', 'status_update', 'official_notice', 'reminder', 'escalation', 'confirmation_request'] as const;

/** What a message is for; outside the session window each kind has its own approved template. */
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface OutgoingMessage {
  /** One key per message, stable across retries (a workflow uuid4()). */
  idempotencyKey: string;
  /** '+62…' or 'whatsapp:+62…'. */
  to: string;
  text: string;
  kind: MessageKind;
  /** The template's variables; without them the text is variable 1. */
  variables?: Record<string, string>;
  complaintId?: number;
}

export interface Delivery {
  /** Twilio SIDs, one per part. */
  sids: string[];
  via: 'freeform' | 'template';
}

export interface MessengerDeps {
  db: Db;
  crypto: PiiCrypto;
  sender: WhatsAppSender;
  clock: () => Date;
  logger: Logger;
  /** Approved Content template SIDs ('HX…') by kind. */
  templates: Partial<Record<MessageKind, string>>;
  /** Where Twilio reports delivery (POST /webhooks/twilio/status). */
  statusCallbackUrl?: string;
}

export interface Messenger {
  deliver(message: OutgoingMessage): Promise<Delivery>;
}

/** WhatsApp allows free-form messages for 24 h after the recipient's last one; 10 min to spare. */
export const SESSION_WINDOW_MS = (23 * 60 + 50) * 60 * 1000;
/** Twilio's clock and our database's may differ; look a little further back when reconciling. */
const RECONCILE_SLACK_MS = 2 * 60 * 1000;

interface Part {
  idempotencyKey: string;
  text: string;
}

interface Recipient {
  /** '+62…' */
  phone: string;
  phoneHash: string;
}

interface Template {
  kind: MessageKind;
  contentSid: string;
  variables: Record<string, string>;
}

type Plan = { via: 'freeform'; parts: Part[] } | { via: 'template'; part: Part; template: Template };

export function createMessenger(deps: MessengerDeps): Messenger {
  const { db, crypto, sender, clock, logger } = deps;

  /** Free-form or template. A message that an earlier attempt started keeps the way it chose. */
  async function plan(message: OutgoingMessage, phoneHash: string): Promise<Plan> {
    const key = message.idempotencyKey;
    const earlier = (await messagesRepo.findByIdempotencyKey(db, key)) ?? (await messagesRepo.findByIdempotencyKey(db, `${key}:0`));
    let contentSid: string | undefined;
    if (earlier) {
      contentSid = earlier.content_sid ?? undefined;
    } else if (!(await inSessionWindow(phoneHash))) {
      contentSid = deps.templates[message.kind];
      if (!contentSid) {
        logger.warn({ kind: message.kind }, 'No WhatsApp template configured for this kind: sending free-form outside the 24-hour window, which WhatsApp refuses (63016)');
      }
    }
    if (contentSid) {
      const template = { kind: message.kind, contentSid, variables: templateVariables(message) };
      return { via: 'template', part: { idempotencyKey: key, text: message.text }, template };
    }
    const texts = splitForWhatsApp(message.text);
    return {
      via: 'freeform',
      parts: texts.map((text, index) => ({ idempotencyKey: texts.length === 1 ? key : `${key}:${index}`, text })),
    };
  }

  async function inSessionWindow(phoneHash: string): Promise<boolean> {
    const lastInbound = await messagesRepo.findLastInboundAt(db, phoneHash);
    return lastInbound !== undefined && clock().getTime() - lastInbound.getTime() < SESSION_WINDOW_MS;
  }

  /** Sends one part once; returns its Twilio SID. */
  async function deliverPart(message: OutgoingMessage, recipient: Recipient, part: Part, template?: Template): Promise<string> {
    const { message: row, isNew } = await messagesRepo.recordOutbound(db, {
      idempotencyKey: part.idempotencyKey,
      phoneHash: recipient.phoneHash,
      phoneEnc: crypto.encrypt(recipient.phone),
      contentEnc: crypto.encrypt(JSON.stringify(template ? { body: part.text, variables: template.variables } : { body: part.text })),
      complaintId: message.complaintId ?? null,
      templateKind: template?.kind ?? null,
      contentSid: template?.contentSid ?? null,
    });
    if (row.twilio_sid) return row.twilio_sid;
    if (row.status === 'failed') throw permanentSendFailure(row.error_code ?? 'unknown');

    const to = `whatsapp:${recipient.phone}`;
    if (!isNew) {
      const adopted = await findEarlierSend(row, to, template ? { contentSid: template.contentSid } : { body: part.text });
      if (adopted) {
        logger.info({ messageId: row.id }, 'WhatsApp message found at Twilio after an interrupted attempt: not sent again');
        await messagesRepo.markOutboundSent(db, row.id, adopted.sid, adopted.status);
        return adopted.sid;
      }
    }

    const outgoing: OutgoingWhatsApp = template
      ? {
          to,
          contentSid: template.contentSid,
          contentVariables: template.variables,
          // The sandbox cannot render the template (its text lives at Twilio): it logs ours.
          ...(sender.mode === 'sandbox' ? { body: part.text } : {}),
        }
      : { to, body: part.text };
    if (deps.statusCallbackUrl) outgoing.statusCallback = deps.statusCallbackUrl;
    try {
      const sent = await sender.send(outgoing);
      await messagesRepo.markOutboundSent(db, row.id, sent.sid, sent.status);
      if (template && sender.mode === 'sandbox') logger.info({ sid: sent.sid, templateKind: template.kind }, 'sandbox: WhatsApp template rendered locally');
      return sent.sid;
    } catch (err) {
      if (err instanceof PermanentSendError) {
        const code = String(err.code ?? 'unknown');
        await messagesRepo.markOutboundFailed(db, row.id, code);
        logger.warn({ messageId: row.id, code }, 'WhatsApp message refused permanently');
        throw permanentSendFailure(code);
      }
      throw err;
    }
  }

  /**
   * A row still 'sending' without a SID: an earlier attempt may have been accepted by Twilio and
   * then died (crash, activity timeout) before storing the SID. Twilio has no idempotency key for
   * messages, so ask it what went out to this number since then, and take a message that no other
   * row owns. This row may own it already: the earlier attempt can still be running (a timed-out
   * activity is not stopped) and store the SID meanwhile.
   */
  async function findEarlierSend(row: Message, to: string, match: SentMatch) {
    if (!sender.findSent) return undefined;
    const since = new Date(row.created_at.getTime() - RECONCILE_SLACK_MS);
    for (const candidate of await sender.findSent(to, since, match)) {
      const owner = await messagesRepo.findByTwilioSid(db, candidate.sid);
      if (!owner || owner.id === row.id) return candidate;
    }
    return undefined;
  }

  return {
    async deliver(message) {
      const phone = normalisePhone(message.to);
      const recipient = { phone, phoneHash: crypto.lookupHash('phone', phone) };
      const chosen = await plan(message, recipient.phoneHash);
      if (chosen.via === 'template') return { sids: [await deliverPart(message, recipient, chosen.part, chosen.template)], via: 'template' };
      const sids: string[] = [];
      for (const part of chosen.parts) sids.push(await deliverPart(message, recipient, part));
      return { sids, via: 'freeform' };
    },
  };
}

/**
 * WhatsApp refuses template parameters with line breaks, tabs or more than four spaces in a row
 * (Meta error 132018), and our texts have paragraphs: whitespace is folded to single spaces.
 */
function templateVariables(message: OutgoingMessage): Record<string, string> {
  const variables = message.variables ?? { '1': message.text };
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, value.replace(/\s+/g, ' ').trim()]));
}

/** Non-retryable: the same send would fail the same way (invalid or blocked number, refused). */
function permanentSendFailure(code: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'PermanentSendError',
    nonRetryable: true,
    message: `WhatsApp message refused permanently (Twilio error ${code})`,
  });
}
